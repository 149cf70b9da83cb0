import { ITEMS, itemInfo } from './items.js';
import { satisfies } from './levels.js';
import type { ItemId, ItemResult, PlanStep } from './types.js';

/**
 * The missing items as a plan: lowest level first; within a level, an item comes after the
 * missing items it depends on (a topological order that keeps the document order otherwise).
 */
export function buildPlan(results: readonly ItemResult[]): PlanStep[] {
  const status = new Map(results.map((r) => [r.id, r.status]));
  const missing = new Set(ITEMS.filter((i) => !satisfies(status.get(i.id) ?? 'cannot-tell')).map((i) => i.id));
  const ordered: ItemId[] = [];
  const placed = new Set<ItemId>();
  const visit = (id: ItemId, trail: Set<ItemId>): void => {
    if (placed.has(id) || trail.has(id) || !missing.has(id)) return;
    trail.add(id);
    for (const dep of itemInfo(id).dependsOn) if (itemInfo(dep).level <= itemInfo(id).level) visit(dep, trail);
    placed.add(id);
    ordered.push(id);
  };
  for (const level of [1, 2, 3]) for (const item of ITEMS) if (item.level === level) visit(item.id, new Set());
  return ordered.map((id) => {
    const info = itemInfo(id);
    return {
      id, level: info.level, status: status.get(id) ?? 'cannot-tell', principle: info.text, build: info.build,
      references: info.references, after: info.dependsOn.filter((d) => missing.has(d)),
    };
  });
}
