import type { DownloadCount, NamespaceOps } from '../domain/namespace-store.js';
import type { Clock } from '../domain/ports.js';

type CountStore = Pick<NamespaceOps, 'addDownloads'>;

/** The UTC day of a time, YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Tarball downloads per package per day. The hot path only bumps an in-memory counter; the
 * counts are written in one batch every `flushMs` and when the registry closes, so no request
 * waits on a database write. A crash loses at most one interval of counts (they are statistics).
 */
export class DownloadCounter {
  private pending = new Map<string, number>();
  private day = '';
  private dayEndsAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { store: CountStore; clock: Clock; flushMs: number; onError?: (err: unknown) => void }) {}

  /** Starts the periodic flush (not started in unit tests that flush by hand). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.deps.flushMs);
    this.timer.unref();
  }

  /** One tarball served. */
  record(name: string): void {
    const now = this.deps.clock.now().getTime();
    if (now >= this.dayEndsAt) {
      const today = new Date(now);
      this.day = utcDay(today);
      this.dayEndsAt = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1);
    }
    const key = `${this.day}\u0000${name}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  /** Writes the pending counts; flushes never overlap. On failure the counts are kept for the next one. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      const rows: DownloadCount[] = [...batch].map(([key, count]) => {
        const cut = key.indexOf('\u0000');
        return { day: key.slice(0, cut), name: key.slice(cut + 1), count };
      });
      try {
        await this.deps.store.addDownloads(rows);
      } catch (err) {
        for (const [key, count] of batch) this.pending.set(key, (this.pending.get(key) ?? 0) + count);
        this.deps.onError?.(err);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
