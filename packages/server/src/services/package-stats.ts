import type { NamespaceOps } from '../domain/namespace-store.js';
import type { Clock } from '../domain/ports.js';
import { utcDay, type DownloadCounter } from './download-counter.js';

type StatsStore = Pick<NamespaceOps, 'sumDownloads' | 'topDownloads' | 'listDependents' | 'topDependedOn'>;

const DAY_MS = 86_400_000;

/**
 * Popularity facts about packages: downloads in the last week and dependents in this registry.
 * The unpublish policy reads them; the typosquat guard and "critical package" ranking use the
 * top lists.
 */
export class PackageStats {
  constructor(private readonly deps: { store: StatsStore; counter: DownloadCounter; clock: Clock }) {}

  /** The first UTC day of "the last week": today and the six days before it. */
  private weekStart(): string {
    return utcDay(new Date(this.deps.clock.now().getTime() - 6 * DAY_MS));
  }

  /** Tarball downloads of `name` in the last 7 UTC days (today included). */
  async weeklyDownloads(name: string): Promise<number> {
    await this.deps.counter.flush();
    return this.deps.store.sumDownloads(name, this.weekStart());
  }

  /** The most downloaded packages of the last 7 days, most first. */
  async topPackages(limit: number): Promise<Array<{ name: string; downloads: number }>> {
    await this.deps.counter.flush();
    return this.deps.store.topDownloads(this.weekStart(), Math.max(0, Math.min(limit, 100_000)));
  }

  /** Other packages whose live versions depend on `name` (first `limit` names, sorted) and their number. */
  dependents(name: string, limit = 20): Promise<{ names: string[]; total: number }> {
    return this.deps.store.listDependents(name, limit);
  }

  /** The names most packages in this registry depend on. */
  topDependedOn(limit: number): Promise<Array<{ name: string; dependents: number }>> {
    return this.deps.store.topDependedOn(Math.max(0, Math.min(limit, 100_000)));
  }
}
