import type { MetadataOps } from '../domain/ports.js';
import type { PackageRecord } from '../domain/records.js';
import { parsePackageName } from '../domain/package-name.js';
import { latestVersion, renderPackument } from '../domain/packument.js';

/**
 * Rewrites a package's precomputed documents inside the caller's transaction (design rule 8:
 * a publish or change writes the documents once; reads only send them).
 */
export async function rebuildPackageDocuments(
  tx: MetadataOps,
  name: string,
  change: { now: Date; current: PackageRecord | null; distTags: Record<string, string> },
): Promise<PackageRecord> {
  const [versions, maintainers, starrers] = await Promise.all([tx.listVersions(name), tx.listMaintainers(name), tx.listStarrers(name)]);
  const publishers = new Map<number, { name: string; email: string }>();
  for (const id of new Set(versions.map((v) => v.publishedBy))) {
    const user = await tx.findUserById(id);
    if (user) publishers.set(id, { name: user.name, email: user.email });
  }
  const rev = (change.current?.rev ?? 0) + 1;
  const createdAt = change.current?.createdAt ?? change.now;
  const state = {
    pkg: parsePackageName(name), rev, createdAt, modifiedAt: change.now, distTags: change.distTags,
    versions, maintainers, starrers, publishers,
  };
  const { full, abbrev } = renderPackument(state);
  const record: PackageRecord = {
    name, rev, createdAt, modifiedAt: change.now, distTags: change.distTags, fullDoc: full, abbrevDoc: abbrev,
    searchText: searchTextOf(name, latestVersion(state)?.manifest ?? {}),
  };
  await tx.savePackage(record);
  return record;
}

/** What search matches against: name, description and keywords, lower-cased. */
function searchTextOf(name: string, manifest: Readonly<Record<string, unknown>>): string {
  const keywords = Array.isArray(manifest.keywords) ? manifest.keywords.filter((k) => typeof k === 'string') : [];
  const description = typeof manifest.description === 'string' ? manifest.description : '';
  return [name, description, ...keywords].join(' ').toLowerCase().slice(0, 4096);
}
