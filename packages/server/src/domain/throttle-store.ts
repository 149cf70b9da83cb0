/** One counter of failures in a window, with a lockout that grows each time it trips. */
export interface ThrottleBucket {
  /** Failures counted in the current window. */
  readonly failures: number;
  /** When the current window started (ms since epoch). */
  readonly windowStart: number;
  /** Locked until this time (ms since epoch); 0: not locked. */
  readonly lockedUntil: number;
  /** How many lockouts in a row this key has had; the next lockout doubles. */
  readonly lockouts: number;
}

/**
 * Storage of throttle buckets by key. The in-memory adapter serves one node; a Redis adapter
 * shares the counts between nodes. `update` must apply `fn` atomically per key.
 */
export interface ThrottleStore {
  get(key: string): Promise<ThrottleBucket | null>;
  update(key: string, fn: (current: ThrottleBucket | null) => ThrottleBucket | null, ttlMs: number): Promise<ThrottleBucket | null>;
}
