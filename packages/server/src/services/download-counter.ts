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
  /** Day -> name -> count not yet written. */
  private pending = new Map<string, Map<string, number>>();
  private today: Map<string, number> | undefined;
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
    if (now >= this.dayEndsAt || this.today === undefined) {
      const at = new Date(now);
      const day = utcDay(at);
      this.dayEndsAt = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
      this.today = this.pending.get(day) ?? new Map();
      this.pending.set(day, this.today);
    }
    this.today.set(name, (this.today.get(name) ?? 0) + 1);
  }

  /** Writes the pending counts; flushes never overlap. On failure the counts are kept for the next one. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      this.today = undefined;
      const rows: DownloadCount[] = [];
      for (const [day, counts] of batch) for (const [name, count] of counts) rows.push({ day, name, count });
      try {
        await this.deps.store.addDownloads(rows);
      } catch (err) {
        for (const { day, name, count } of rows) {
          const counts = this.pending.get(day) ?? new Map<string, number>();
          counts.set(name, (counts.get(name) ?? 0) + count);
          this.pending.set(day, counts);
        }
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
