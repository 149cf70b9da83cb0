import semver from 'semver';
import type { AdvisoryStore, IndexedAdvisory } from '../../domain/advisories/advisory-store.js';
import { NPM_MATCH } from '../../domain/advisories/version-ranges.js';
import { compareByPreference } from '../../domain/advisories/osv.js';

/** One advisory of one package, ready to match: the stored row and its compiled npm range. */
export interface IndexEntry {
  readonly row: IndexedAdvisory;
  readonly range: semver.Range;
}

/**
 * Records that share an id or alias are one vulnerability (GHSA-… and CVE-… of the same flaw):
 * a package gets it once, from the preferred record.
 */
export function mergeAliases(rows: readonly IndexedAdvisory[]): IndexedAdvisory[] {
  const sorted = [...rows].sort((a, b) => compareByPreference(a.advisoryId, b.advisoryId));
  const claimed = new Set<string>();
  const kept: IndexedAdvisory[] = [];
  for (const row of sorted) {
    const names = [row.advisoryId, ...row.summary.aliases];
    if (names.some((name) => claimed.has(name))) continue;
    for (const name of names) claimed.add(name);
    kept.push(row);
  }
  return kept.sort((a, b) => a.advisoryId.localeCompare(b.advisoryId));
}

const MAX_CACHED_PACKAGES = 200_000;

/**
 * The audit path's per-package index (design rule 8: reads are precomputed). Package rows with
 * their npm ranges are written at import time; this keeps them in memory, compiled, per package.
 * Every request first reads the store's generation (one indexed row), so an import by another
 * process or node is seen at once.
 */
export class AdvisoryIndex {
  private readonly entries = new Map<string, readonly IndexEntry[]>();
  private generation = -1;

  constructor(private readonly store: AdvisoryStore) {}

  /** The advisories (aliases merged) of each named package; names without any map to []. */
  async forPackages(names: readonly string[]): Promise<Map<string, readonly IndexEntry[]>> {
    const generation = await this.store.generation();
    if (generation !== this.generation || this.entries.size > MAX_CACHED_PACKAGES) {
      this.entries.clear();
      this.generation = generation;
    }
    const fresh = new Map<string, readonly IndexEntry[]>();
    const missing = [...new Set(names)].filter((name) => !this.entries.has(name));
    if (missing.length > 0) {
      const byName = new Map<string, IndexedAdvisory[]>(missing.map((name) => [name, []]));
      for (const row of await this.store.listForPackages(missing)) byName.get(row.name)?.push(row);
      // Only fill the cache if nothing was written meanwhile; otherwise these rows may be stale.
      const unchanged = (await this.store.generation()) === this.generation;
      for (const [name, rows] of byName) {
        const compiled = mergeAliases(rows).map((row) => ({ row, range: new semver.Range(row.range, NPM_MATCH) }));
        fresh.set(name, compiled);
        if (unchanged) this.entries.set(name, compiled);
      }
    }
    const out = new Map<string, readonly IndexEntry[]>();
    for (const name of names) out.set(name, fresh.get(name) ?? this.entries.get(name) ?? []);
    return out;
  }

  /** The advisories affecting one version of a package. */
  async affecting(name: string, version: string): Promise<IndexEntry[]> {
    const entries = (await this.forPackages([name])).get(name) ?? [];
    return entries.filter((entry) => semver.satisfies(version, entry.range, NPM_MATCH));
  }
}
