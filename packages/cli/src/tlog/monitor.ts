import { setTimeout as sleep } from 'node:timers/promises';
import { observe, type Anomaly } from './anomalies.js';
import { RegistryClient } from './registry-client.js';
import { loadState, updateState, type MonitorState } from './state-file.js';

export interface MonitorOptions {
  readonly registry: string;
  /** Package names to watch; empty: all. */
  readonly watch: readonly string[];
  readonly since?: number;
  readonly statePath: string;
  readonly once: boolean;
  readonly intervalMs: number;
  readonly onAnomaly: (a: Anomaly) => void;
  readonly signal?: AbortSignal;
}

/**
 * GEN-3b `bulwark tlog monitor`: follows the changes feed from where the state file left off,
 * reports anomalies for watched packages, and saves the position and history after each page.
 * Returns the number of anomalies reported.
 */
export async function monitorFeed(opts: MonitorOptions): Promise<number> {
  const client = new RegistryClient(opts.registry);
  const saved = (await loadState(opts.statePath)).monitor[client.base];
  const state: MonitorState = saved ?? { next: 0, packages: {} };
  if (opts.since !== undefined) state.next = opts.since;
  const watched = (name: unknown) => opts.watch.length === 0 || opts.watch.includes(String(name));
  let count = 0;
  for (;;) {
    const page = await client.entries(state.next, 1000);
    for (const entry of page.entries) {
      if (entry.index < state.next) continue;
      if (watched(entry.name)) {
        for (const anomaly of observe(state, entry)) {
          count++;
          opts.onAnomaly(anomaly);
        }
      }
      state.next = entry.index + 1;
    }
    if (page.entries.length > 0) {
      await updateState(opts.statePath, (file) => {
        file.monitor[client.base] = state;
      });
    }
    if (page.entries.length > 0 && state.next < page.size) continue;
    if (opts.once || opts.signal?.aborted) return count;
    try {
      await sleep(opts.intervalMs, undefined, { signal: opts.signal });
    } catch {
      return count;
    }
  }
}
