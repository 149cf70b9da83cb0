import type { MetadataOps } from '../domain/ports.js';
import type { ChangeFeed } from './change-feed.js';

type LogReader = Pick<MetadataOps, 'logSize' | 'listLogEntries'>;

/**
 * Every change is a transparency-log entry, so following the log tells this process about
 * changes made elsewhere: the admin CLI's takedown, or another registry node. Each new entry's
 * package is announced on the change feed, which drops it from the read caches. One cheap query
 * per interval; this process's own changes were announced already (a second drop is harmless).
 */
export class LogFollower {
  private seen = -1;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly deps: { store: LogReader; feed: ChangeFeed; intervalMs: number; onError?: (err: unknown) => void }) {}

  async start(): Promise<void> {
    this.seen = await this.deps.store.logSize();
    this.timer = setInterval(() => void this.poll(), this.deps.intervalMs);
    this.timer.unref();
  }

  async poll(): Promise<void> {
    if (this.running || this.seen < 0) return;
    this.running = true;
    try {
      const size = await this.deps.store.logSize();
      while (this.seen < size) {
        const entries = await this.deps.store.listLogEntries(this.seen, 1000);
        if (entries.length === 0) break;
        const names = new Set<string>();
        for (const e of entries) if ('name' in e.event) names.add(e.event.name);
        for (const name of names) this.deps.feed.packageChanged(name);
        this.seen = entries[entries.length - 1]!.index + 1;
      }
    } catch (err) {
      this.deps.onError?.(err);
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
