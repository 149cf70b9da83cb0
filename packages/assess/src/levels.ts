import { ITEMS } from './items.js';
import type { ItemId, ItemResult, Status, Track, TrackLevel } from './types.js';

export const TRACKS: readonly Track[] = ['authn', 'authz', 'general', 'cli'];

/** Met, or does not apply. Partly met and cannot-tell are gaps: a level must not hide them. */
export const satisfies = (s: Status): boolean => s === 'met' || s === 'not-applicable';

/**
 * The WG's rule (wg-securing-software-repos #40): per track, the highest level whose items are
 * all met (every lower level included), plus the items met above it. Never one number overall.
 */
export function computeLevels(results: readonly ItemResult[]): TrackLevel[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return TRACKS.map((track) => {
    const items = ITEMS.filter((i) => i.track === track);
    let level: 0 | 1 | 2 | 3 = 0;
    for (const l of [1, 2, 3] as const) {
      if (items.filter((i) => i.level === l).every((i) => satisfies(byId.get(i.id)?.status ?? 'cannot-tell'))) level = l;
      else break;
    }
    const metAbove: ItemId[] = items.filter((i) => i.level > level && satisfies(byId.get(i.id)?.status ?? 'cannot-tell')).map((i) => i.id);
    const missing: ItemId[] = items.filter((i) => !satisfies(byId.get(i.id)?.status ?? 'cannot-tell')).map((i) => i.id);
    return { track, level, metAbove, missing };
  });
}
