import type { ThrottleBucket, ThrottleStore } from '../../domain/throttle-store.js';

interface Entry {
  bucket: ThrottleBucket;
  expiresAt: number;
}

/**
 * Throttle buckets in this process (the embedded default; several nodes need the Redis adapter).
 * `update` runs synchronously, so it is atomic per key. Bounded: expired entries are swept, and
 * past `maxKeys` the oldest go first (Map order is insertion order).
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, Entry>();
  private sweeps = 0;

  constructor(private readonly options: { maxKeys?: number; now?: () => number } = {}) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async get(key: string): Promise<ThrottleBucket | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.bucket;
  }

  async update(key: string, fn: (current: ThrottleBucket | null) => ThrottleBucket | null, ttlMs: number): Promise<ThrottleBucket | null> {
    const now = this.now();
    const entry = this.entries.get(key);
    const next = fn(entry && entry.expiresAt > now ? entry.bucket : null);
    this.entries.delete(key);
    if (next) this.entries.set(key, { bucket: next, expiresAt: now + ttlMs });
    if (++this.sweeps % 1000 === 0) this.sweep(now);
    const max = this.options.maxKeys ?? 100_000;
    while (this.entries.size > max) this.entries.delete(this.entries.keys().next().value as string);
    return next;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
