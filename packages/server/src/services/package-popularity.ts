import type { NameStore, PackagePopularity, PopularitySource } from '../domain/name-store.js';
import type { PackageStats } from './package-stats.js';

/**
 * The registry's own packages ranked for the typosquat guard (GEN-1b): those other packages
 * depend on (from the name store) together with the most downloaded last week (from the
 * download counter), most downloaded first.
 */
export class RegistryPopularity implements PopularitySource {
  constructor(private readonly deps: { names: NameStore; stats: PackageStats }) {}

  async rankPackages(limit: number, minDependents: number): Promise<PackagePopularity[]> {
    const [byDependents, byDownloads] = await Promise.all([
      this.deps.names.rankPackages(limit, minDependents),
      this.deps.stats.topPackages(limit),
    ]);
    const merged = new Map<string, { name: string; dependents: number; downloads: number }>();
    for (const p of byDependents) merged.set(p.name, { ...p });
    for (const d of byDownloads) {
      const entry = merged.get(d.name) ?? { name: d.name, dependents: 0, downloads: 0 };
      entry.downloads = d.downloads;
      merged.set(d.name, entry);
    }
    return [...merged.values()].sort((a, b) => b.downloads - a.downloads || b.dependents - a.dependents || (a.name < b.name ? -1 : 1)).slice(0, limit);
  }
}
