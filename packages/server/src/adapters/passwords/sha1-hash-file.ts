import { open, type FileHandle } from 'node:fs/promises';
import type { BreachedPasswords } from '../../domain/breached-passwords.js';

const CHUNK = 256;
const TAIL_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

interface Line {
  readonly start: number;
  /** Offset just after the line's newline (or the end of the file). */
  readonly next: number;
  readonly text: string;
}

/**
 * An offline corpus in the Pwned Passwords download format (AUTHN-2d): one `HASH` or
 * `HASH:COUNT` line per hash, sorted by hash. A lookup is a binary search over byte offsets
 * (about 25 small reads for a billion lines, the last 64 KiB in one read), so neither a full
 * scan nor an index is needed.
 */
export class Sha1HashFile implements BreachedPasswords {
  private handle: Promise<FileHandle> | undefined;
  private size = 0;

  constructor(private readonly file: string) {}

  private async fh(): Promise<FileHandle> {
    this.handle ??= open(this.file, 'r').then(async (h) => {
      this.size = (await h.stat()).size;
      return h;
    });
    return this.handle;
  }

  async count(sha1: string): Promise<number> {
    const target = sha1.toUpperCase();
    if (!/^[0-9A-F]{40}$/.test(target)) throw new Error('not a SHA-1 hex digest');
    const fh = await this.fh();
    // Invariant: every line starting before `lo` sorts below the target; every line starting at
    // or after `hi` sorts above it.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      // The last few dozen KiB are read in one go and searched in memory (saves ~10 reads).
      if (hi - lo <= TAIL_BYTES) return this.scan(fh, lo, hi, target);
      const mid = lo + Math.floor((hi - lo) / 2);
      const line = await this.lineFrom(fh, mid);
      if (!line || line.start >= hi) {
        hi = mid;
        continue;
      }
      const colon = line.text.indexOf(':');
      const hash = (colon < 0 ? line.text : line.text.slice(0, colon)).trim().toUpperCase();
      if (hash === target) {
        if (colon < 0) return 1;
        const count = Number.parseInt(line.text.slice(colon + 1), 10);
        return Number.isFinite(count) && count > 0 ? count : 0;
      }
      if (hash < target) lo = line.next;
      else hi = mid;
    }
    return 0;
  }

  /** Looks for the target among the lines starting in [lo, hi); lo is a line start. */
  private async scan(fh: FileHandle, lo: number, hi: number, target: string): Promise<number> {
    // Read to the end of the last line that starts before hi (a line is < 100 bytes).
    const length = Math.min(this.size - lo, hi - lo + 128);
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await fh.read(buffer, 0, length, lo);
    const data = buffer.subarray(0, bytesRead);
    let start = 0;
    while (start < data.length && lo + start < hi) {
      let end = data.indexOf(NEWLINE, start);
      if (end < 0) end = data.length;
      const line = data.toString('latin1', start, end);
      const colon = line.indexOf(':');
      const hash = (colon < 0 ? line : line.slice(0, colon)).trim().toUpperCase();
      if (hash === target) {
        if (colon < 0) return 1;
        const count = Number.parseInt(line.slice(colon + 1), 10);
        return Number.isFinite(count) && count > 0 ? count : 0;
      }
      if (hash > target) return 0;
      start = end + 1;
    }
    return 0;
  }

  /** The first line that starts at or after `pos`. */
  private async lineFrom(fh: FileHandle, pos: number): Promise<Line | null> {
    let start = pos;
    if (pos > 0) {
      // Skip the rest of the line `pos` falls in (unless pos is just after a newline).
      let at = pos - 1;
      for (;;) {
        const { bytes, buffer } = await read(fh, at);
        if (bytes === 0) return null;
        const i = buffer.subarray(0, bytes).indexOf(NEWLINE);
        if (i >= 0) {
          start = at + i + 1;
          break;
        }
        at += bytes;
      }
    }
    if (start >= this.size) return null;
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const { bytes, buffer } = await read(fh, at);
      if (bytes === 0) return { start, next: at, text: Buffer.concat(parts).toString('latin1') };
      const i = buffer.subarray(0, bytes).indexOf(NEWLINE);
      if (i >= 0) {
        parts.push(buffer.subarray(0, i));
        return { start, next: at + i + 1, text: Buffer.concat(parts).toString('latin1') };
      }
      parts.push(Buffer.from(buffer.subarray(0, bytes)));
      at += bytes;
    }
  }

  async close(): Promise<void> {
    if (this.handle) await (await this.handle).close();
    this.handle = undefined;
  }
}

async function read(fh: FileHandle, position: number): Promise<{ bytes: number; buffer: Buffer }> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  const { bytesRead } = await fh.read(buffer, 0, CHUNK, position);
  return { bytes: bytesRead, buffer };
}
