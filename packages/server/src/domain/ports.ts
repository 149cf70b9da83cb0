import type { LogEntry } from './registry-event.js';
import type { TrustConfigRecord } from './trusted-publisher.js';
import type { OrgMemberRecord, OrgRole, TeamGrantRecord, TeamPermission, TeamRecord } from './organization.js';
import type { NamespaceOps } from './namespace-store.js';
import type { StoredHash } from './tlog/index.js';
import type {
  CheckpointRecord, MaintainerRecord, NewUser, PackageRecord, SearchHit, TokenRecord, UserRecord, VersionRecord, WebLoginRecord, WebSessionRecord,
} from './records.js';

/**
 * Metadata persistence. One interface for reads and writes; `transaction` hands the callback the
 * same interface bound to one transaction. Every adapter (SQLite, PostgreSQL) passes the contract
 * suite in test/contract/.
 */
export interface MetadataOps extends NamespaceOps {
  findUserByName(name: string): Promise<UserRecord | null>;
  findUserById(id: number): Promise<UserRecord | null>;
  /** Throws RegistryError E_USER_EXISTS when the name is taken. */
  insertUser(user: NewUser): Promise<UserRecord>;
  updateUserPassword(userId: number, passwordHash: string): Promise<void>;

  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  insertToken(token: TokenRecord): Promise<void>;
  listTokens(userId: number): Promise<TokenRecord[]>;
  /** Records a token's last use (the owner sees it; written at most once a minute per token). */
  touchToken(tokenId: string, at: Date): Promise<void>;
  revokeToken(tokenId: string, at: Date): Promise<boolean>;
  /** Ids of tokens revoked at or after `since` (for other nodes' caches). */
  listTokensRevokedSince(since: Date): Promise<string[]>;

  findPackage(name: string): Promise<PackageRecord | null>;
  /** Lock the package row for the rest of the transaction where the database can (PostgreSQL). */
  findPackageForUpdate(name: string): Promise<PackageRecord | null>;
  savePackage(pkg: PackageRecord): Promise<void>;
  listVersions(name: string): Promise<VersionRecord[]>;
  findVersion(name: string, version: string): Promise<VersionRecord | null>;
  /** Throws RegistryError E_VERSION_EXISTS when (name, version) was ever published. */
  insertVersion(version: VersionRecord): Promise<void>;
  setDeprecated(name: string, version: string, message: string | null): Promise<void>;
  countBlobReferences(blobKey: string): Promise<number>;

  listMaintainers(name: string): Promise<MaintainerRecord[]>;
  addMaintainer(name: string, userId: number): Promise<void>;
  /** Records a new package's collision key (GEN-1b; domain/name-normalize.ts). */
  savePackageKey(name: string, key: string): Promise<void>;
  removeMaintainer(name: string, userId: number): Promise<void>;
  /** The user that owns a scope (without '@'), if claimed. */
  findScopeOwner(scope: string): Promise<number | null>;
  claimScope(scope: string, userId: number): Promise<void>;

  /** Trusted publishers (AUTHZ-3a). */
  listTrustConfigs(packageName: string): Promise<TrustConfigRecord[]>;
  insertTrustConfig(config: TrustConfigRecord): Promise<void>;
  deleteTrustConfig(packageName: string, id: string): Promise<boolean>;
  updateTrustConfigPins(id: string, pins: Readonly<Record<string, string>>): Promise<void>;
  /** Records an ID token's (issuer, jti); false when it was recorded before (a replay). */
  recordOidcJti(issuer: string, jti: string, expiresAt: Date): Promise<boolean>;
  deleteExpiredOidcJtis(now: Date): Promise<number>;

  /** Organizations (AUTHZ-2a). An org's name is the scope it owns. */
  orgExists(org: string): Promise<boolean>;
  /** Throws E_ORG_EXISTS when taken. */
  insertOrg(org: string, at: Date): Promise<void>;
  listOrgMembers(org: string): Promise<OrgMemberRecord[]>;
  findOrgRole(org: string, userId: number): Promise<OrgRole | null>;
  setOrgMember(org: string, userId: number, role: OrgRole, at: Date): Promise<void>;
  removeOrgMember(org: string, userId: number): Promise<boolean>;
  listTeams(org: string): Promise<TeamRecord[]>;
  /** Throws E_TEAM_EXISTS when taken. */
  insertTeam(team: TeamRecord, at: Date): Promise<void>;
  /** Removes the team, its members and its package grants. */
  deleteTeam(org: string, team: string): Promise<boolean>;
  listTeamMembers(org: string, team: string): Promise<string[]>;
  addTeamMember(org: string, team: string, userId: number): Promise<void>;
  removeTeamMember(org: string, team: string, userId: number): Promise<boolean>;
  listTeamGrants(org: string, team: string): Promise<TeamGrantRecord[]>;
  listPackageGrants(packageName: string): Promise<TeamGrantRecord[]>;
  setTeamGrant(grant: TeamGrantRecord): Promise<void>;
  removeTeamGrant(org: string, team: string, packageName: string): Promise<boolean>;
  /** The user's best team permission on a package, or null. */
  findTeamPermission(packageName: string, userId: number): Promise<TeamPermission | null>;
  /** Packages whose names start with `@scope/`. */
  listScopePackages(scope: string): Promise<string[]>;
  listMaintainedPackages(userId: number): Promise<string[]>;

  listStarrers(name: string): Promise<string[]>;
  setStar(name: string, userId: number, starred: boolean): Promise<void>;
  listStarredBy(userId: number): Promise<string[]>;

  searchPackages(text: string, size: number, from: number): Promise<{ hits: SearchHit[]; total: number }>;

  /** Takes the next transparency-log index; serialises appends until the transaction ends. */
  allocateLogIndex(): Promise<number>;
  /** Stores an entry and the subtree hashes its leaf completes (RFC 9162), in the same transaction. */
  insertLogEntry(entry: LogEntry, hashes: readonly StoredHash[]): Promise<void>;
  /** The stored subtree hashes at these coordinates (missing ones are left out). */
  findLogHashes(coordinates: ReadonlyArray<{ level: number; index: number }>): Promise<StoredHash[]>;
  /** Stored hashes at one level with index in [from, from + count), in order (tiles). */
  listLogHashes(level: number, from: number, count: number): Promise<Uint8Array[]>;
  /** Entries with index >= since, in order. */
  listLogEntries(since: number, limit: number): Promise<LogEntry[]>;
  logSize(): Promise<number>;
  /** The most recently issued checkpoint (largest size), if any. */
  findLatestCheckpoint(): Promise<CheckpointRecord | null>;
  /** Records an issued checkpoint; a second one for the same size is ignored (another node won). */
  saveCheckpoint(checkpoint: CheckpointRecord): Promise<void>;
  /** Replaces the served note of an issued checkpoint (cosignatures added). */
  updateCheckpointNote(size: number, note: string): Promise<void>;

  insertWebLogin(login: WebLoginRecord): Promise<void>;
  findWebLogin(id: string): Promise<WebLoginRecord | null>;
  completeWebLogin(id: string, userId: number): Promise<void>;
  consumeWebLogin(id: string, at: Date): Promise<boolean>;

  insertWebSession(session: WebSessionRecord): Promise<void>;
  findWebSessionBySecretHash(secretHash: string): Promise<WebSessionRecord | null>;
  touchWebSession(id: string, at: Date): Promise<void>;
  /** Sessions of a user, newest first. */
  listWebSessions(userId: number): Promise<WebSessionRecord[]>;
  /** Ends one session of a user; false when there was none with that id. */
  deleteWebSession(userId: number, id: string): Promise<boolean>;
  /** Ends every session of a user except `keepId` (after a password change, "sign out everywhere"). */
  deleteWebSessionsOf(userId: number, keepId: string | null): Promise<number>;
}

export interface MetadataStore extends MetadataOps {
  transaction<T>(fn: (tx: MetadataOps) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface BlobInfo {
  readonly size: number;
}

/**
 * Tarball storage, content-addressed by the caller's key (hex sha512). `put` is atomic: a reader
 * sees the whole blob or nothing, also after a crash.
 */
export interface BlobStore {
  put(key: string, data: Uint8Array, signal?: AbortSignal): Promise<void>;
  get(key: string, signal?: AbortSignal): Promise<Uint8Array | null>;
  head(key: string): Promise<BlobInfo | null>;
  delete(key: string): Promise<void>;
}

/** The wall clock, injectable for tests. */
export interface Clock {
  now(): Date;
}
