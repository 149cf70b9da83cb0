import type { ItemId, Status } from '@bulwark/assess';

/**
 * Progress while probes run, on stderr: one rewritten line on a terminal, nothing otherwise
 * (so piped --json output and CI logs stay clean). Small enough not to need a spinner library.
 */
export function progressLine(stream: NodeJS.WriteStream): { update(done: number, total: number, id: ItemId, status: Status): void; end(): void } {
  const tty = stream.isTTY === true;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  return {
    update(done, total, id, status) {
      if (!tty) return;
      const width = 24;
      const filled = Math.round((done / total) * width);
      stream.write(`\r\x1b[2K${frames[done % frames.length]} probing [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${id}: ${status}`);
    },
    end() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
