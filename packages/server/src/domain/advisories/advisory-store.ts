import type { OsvRecord } from './osv.js';

/** Where a stored advisory came from: an import/sync, or written by the registry's users. */
export type AdvisoryOrigin = 'imported' | 'private';
/** A private advisory is invisible until published. Imported ones are always published. */
export type AdvisoryState = 'draft' | 'published';

/** One affected npm package of one advisory, precomputed at write time for the audit path. */
export interface AdvisoryPackageRow {
  readonly advisoryId: string;
  readonly name: string;
  /** npm range string of the affected versions (`vulnerable_versions`). */
  readonly range: string;
  /** `fixed` versions the record names, lowest first. */
  readonly fixed: readonly string[];
}

export interface StoredAdvisory {
  readonly id: string;
  readonly record: OsvRecord;
  readonly modified: string;
  readonly withdrawn: boolean;
  readonly origin: AdvisoryOrigin;
  readonly state: AdvisoryState;
  /** The user who created a private advisory; null for imported ones. */
  readonly createdBy: number | null;
  /** The npm package a private advisory belongs to (its maintainers may edit it). */
  readonly ownerPackage: string | null;
  /** Precomputed for list views and the audit response. */
  readonly summary: AdvisorySummary;
}

/** What the audit response and lists need, derived once from the record. */
export interface AdvisorySummary {
  readonly title: string;
  readonly severity: 'info' | 'low' | 'moderate' | 'high' | 'critical';
  readonly cvssScore: number;
  readonly cvssVector: string | null;
  readonly cwe: readonly string[];
  readonly aliases: readonly string[];
}

export interface AdvisoryWrite {
  readonly record: OsvRecord;
  readonly origin: AdvisoryOrigin;
  readonly state: AdvisoryState;
  readonly createdBy: number | null;
  readonly ownerPackage: string | null;
  readonly summary: AdvisorySummary;
  readonly packages: readonly AdvisoryPackageRow[];
}

/** A package row joined with its advisory's summary: one entry of the audit index. */
export interface IndexedAdvisory extends AdvisoryPackageRow {
  readonly modified: string;
  readonly summary: AdvisorySummary;
}

/**
 * The advisory database (OSV records), kept beside the package metadata. Every write bumps a
 * generation number, so a node's in-memory audit index knows when another process changed it.
 */
export interface AdvisoryStore {
  /** The stored `modified` of each id that exists (drafts included). */
  findModified(ids: readonly string[]): Promise<Map<string, string>>;
  /** Inserts or replaces the records and their package rows, in one transaction. */
  saveAll(writes: readonly AdvisoryWrite[]): Promise<void>;
  /** Inserts a new record; false when the id is taken (a concurrent writer won). */
  insertNew(write: AdvisoryWrite): Promise<boolean>;
  /** By id, or else by alias (of the published records listing it, the preferred one: compareByPreference). */
  find(idOrAlias: string): Promise<StoredAdvisory | null>;
  /** Published, not withdrawn package rows for these names. */
  listForPackages(names: readonly string[]): Promise<IndexedAdvisory[]>;
  /** How many ids start with prefix (private ids are allocated in sequence; none is ever deleted). */
  countWithPrefix(prefix: string): Promise<number>;
  /** Private advisories of a package, drafts included (for its maintainers). */
  listPrivate(ownerPackage: string): Promise<StoredAdvisory[]>;
  generation(): Promise<number>;
  count(): Promise<number>;
}
