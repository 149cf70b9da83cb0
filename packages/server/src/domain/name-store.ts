/**
 * Persistence for the typosquat guard (GEN-1b): the operator-imported protected names, the
 * operator's allow and deny lists, names held for review, and how popular this registry's own
 * packages are.
 */

/** How much this registry's own package is used. */
export interface PackagePopularity {
  readonly name: string;
  /** Packages in this registry whose versions depend on it. */
  readonly dependents: number;
  /** Downloads; 0 until a download counter feeds it (see PopularitySource). */
  readonly downloads: number;
}

/**
 * The ranking of the registry's own packages that joins the protected corpus. The SQL adapter
 * counts dependents and reports downloads as 0; a download counter can wrap or replace it.
 */
export interface PopularitySource {
  /** The most used packages, most used first, at most `limit`, with at least `minDependents` dependents or any downloads. */
  rankPackages(limit: number, minDependents: number): Promise<PackagePopularity[]>;
}

export interface ImportedName {
  readonly name: string;
  readonly downloads: number;
}

export type NameList = 'allow' | 'deny';

export interface NameListEntry {
  readonly name: string;
  readonly list: NameList;
  readonly note: string | null;
  readonly addedAt: Date;
}

/** A new name refused for operator review, kept so an operator can find and decide it. */
export interface NameHold {
  readonly name: string;
  readonly requestedBy: string;
  readonly rule: string;
  readonly similarTo: string | null;
  readonly reason: string;
  readonly firstAt: Date;
  readonly lastAt: Date;
  readonly attempts: number;
}

export interface NameStore extends PopularitySource {
  /** Inserts or updates (by name); returns how many rows were new. Idempotent. */
  importProtectedNames(rows: readonly ImportedName[], at: Date): Promise<{ added: number; updated: number }>;
  /** The imported names with the most downloads, most first. */
  topProtectedNames(limit: number): Promise<ImportedName[]>;
  /** Change markers, cheap to read: `imported` moves with each import, `packages` with each new package or version. */
  corpusVersion(): Promise<{ imported: string; packages: string }>;

  findNameList(name: string): Promise<NameList | null>;
  /** Puts a name on a list, or takes it off every list with `null`. */
  setNameList(name: string, list: NameList | null, note: string | null, at: Date): Promise<void>;
  listNameLists(): Promise<NameListEntry[]>;

  recordHold(hold: Omit<NameHold, 'firstAt' | 'lastAt' | 'attempts'>, at: Date): Promise<void>;
  listHolds(): Promise<NameHold[]>;
  deleteHold(name: string): Promise<void>;

  /** The subset of `names` that the user maintains. */
  maintainedBy(userId: number, names: readonly string[]): Promise<Set<string>>;
  /** Packages whose collision key is `key` (the collision check covers them all, popular or not). */
  findPackagesByKey(key: string): Promise<string[]>;
}
