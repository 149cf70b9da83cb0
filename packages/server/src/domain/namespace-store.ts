/**
 * GEN-2a: what the registry remembers about removed versions and names, and the facts the
 * unpublish policy needs (downloads, dependents). Part of MetadataOps, so a removal, its
 * tombstones and its log entry commit in one transaction.
 */

/** Why a version or name left the registry: its owners unpublished it, or an operator took it down. */
export type RemovalKind = 'unpublished' | 'taken-down';

/** A removed name@version. Kept forever: that version (and those tarball bytes) can never be published again. */
export interface TombstoneRecord {
  readonly name: string;
  readonly version: string;
  readonly integrity: string;
  /** Hex sha512 of the tarball: the same bytes are refused under any name. */
  readonly blobKey: string;
  readonly kind: RemovalKind;
  /** The user (owner unpublish) or operator (takedown) that removed it. */
  readonly actor: string;
  /** The operator's reason for a takedown; null for an owner unpublish. */
  readonly reason: string | null;
  readonly publishedAt: Date;
  readonly removedAt: Date;
}

/** A fully removed package name: not reusable by anyone else until an operator releases it. */
export interface DeletedNameRecord {
  readonly name: string;
  readonly kind: RemovalKind;
  readonly actor: string;
  readonly reason: string | null;
  readonly deletedAt: Date;
  /** Maintainers at deletion: after the quarantine they (only) may publish new versions. */
  readonly formerOwnerIds: readonly number[];
  /** The tombstone packument served for the name (`time.unpublished`), base URL not needed. */
  readonly doc: string;
}

export interface DownloadCount {
  readonly name: string;
  /** UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly count: number;
}

export interface NamespaceOps {
  insertTombstone(tombstone: TombstoneRecord): Promise<void>;
  findTombstone(name: string, version: string): Promise<TombstoneRecord | null>;
  findTombstoneByBlobKey(blobKey: string): Promise<TombstoneRecord | null>;
  listTombstones(name: string): Promise<TombstoneRecord[]>;
  /** Removes a live version's row (its tombstone must be written in the same transaction). */
  deleteVersion(name: string, version: string): Promise<void>;
  /** Removes the package row, maintainers and stars (versions are deleted one by one before). */
  deletePackage(name: string): Promise<void>;

  saveDeletedName(record: DeletedNameRecord): Promise<void>;
  findDeletedName(name: string): Promise<DeletedNameRecord | null>;
  /** True when a row was removed. */
  releaseDeletedName(name: string): Promise<boolean>;

  /** Indexes what one version depends on (dependencies, optionalDependencies, peerDependencies). */
  insertDependencies(name: string, version: string, dependsOn: readonly string[]): Promise<void>;
  deleteDependencies(name: string, version: string): Promise<void>;
  /** Other packages with a live version that depends on `name`, sorted, at most `limit`, and their total. */
  listDependents(name: string, limit: number): Promise<{ names: string[]; total: number }>;
  /** Names with the most dependent packages. */
  topDependedOn(limit: number): Promise<Array<{ name: string; dependents: number }>>;

  /** Adds to the stored per-day counts. */
  addDownloads(counts: readonly DownloadCount[]): Promise<void>;
  /** Sum of the counts of `name` on days >= sinceDay. */
  sumDownloads(name: string, sinceDay: string): Promise<number>;
  topDownloads(sinceDay: string, limit: number): Promise<Array<{ name: string; downloads: number }>>;
}

/** The dependency names a manifest declares, for the dependents index. */
export function declaredDependencies(manifest: Readonly<Record<string, unknown>>): string[] {
  const names = new Set<string>();
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    const map = manifest[field];
    if (map && typeof map === 'object' && !Array.isArray(map)) for (const dep of Object.keys(map)) if (dep.length <= 214) names.add(dep);
  }
  names.delete(String(manifest.name));
  return [...names].sort();
}
