import type { MetadataOps } from '../domain/ports.js';
import type { ChangeFeed } from './change-feed.js';
import { IntervalPoller } from './interval-poller.js';

type LogReader = Pick<MetadataOps, 'logSize' | 'listLogEntries'>;

/**
 * Every change is a transparency-log entry, so following the log tells this process about
 * changes made elsewhere: the admin CLI's takedown, or another registry node. Each new entry's
 * package is announced on the change feed, which drops it from the read caches. One cheap query
 * per interval; this process's own changes were announced already (a second drop is harmless).
 */
export class LogFollower {
  private seen = -1;
  private readonly poller: IntervalPoller;

  constructor(private readonly deps: { store: LogReader; feed: ChangeFeed; intervalMs: number; onError?: (err: unknown) => void }) {
    this.poller = new IntervalPoller(() => this.catchUp(), deps.intervalMs, deps.onError);
  }

  async start(): Promise<void> {
    this.seen = await this.deps.store.logSize();
    this.poller.start();
  }

  poll(): Promise<void> {
    return this.poller.runOnce();
  }

  private async catchUp(): Promise<void> {
    if (this.seen < 0) return;
    const size = await this.deps.store.logSize();
    while (this.seen < size) {
      const entries = await this.deps.store.listLogEntries(this.seen, 1000);
      if (entries.length === 0) break;
      const names = new Set<string>();
      for (const e of entries) if ('name' in e.event) names.add(e.event.name);
      for (const name of names) this.deps.feed.packageChanged(name);
      this.seen = entries[entries.length - 1]!.index + 1;
    }
  }

  stop(): void {
    this.poller.stop();
  }
}
