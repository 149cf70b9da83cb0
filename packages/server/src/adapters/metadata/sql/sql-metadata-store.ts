import { sql, type Kysely, type Transaction } from 'kysely';
import type { MetadataOps, MetadataStore } from '../../../domain/ports.js';
import type {
  CheckpointRecord, MaintainerRecord, NewUser, PackageRecord, SearchHit, TokenRecord, UserRecord, VersionRecord, WebLoginRecord, WebSessionRecord,
} from '../../../domain/records.js';
import { RegistryError } from '../../../domain/errors.js';
import type { LogEntry } from '../../../domain/registry-event.js';
import type { StoredHash } from '../../../domain/tlog/index.js';
import type { TrustConfigRecord } from '../../../domain/trusted-publisher.js';
import type { OrgMemberRecord, OrgRole, TeamGrantRecord, TeamPermission, TeamRecord } from '../../../domain/organization.js';
import type { Database } from './schema.js';
import type { NamespaceOps } from '../../../domain/namespace-store.js';
import { SqlNamespaceOps } from './namespace-ops.js';

type Db = Kysely<Database> | Transaction<Database>;

/** True for a unique/primary-key violation in SQLite or PostgreSQL. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);
const date = (s: string): Date => new Date(s);
const dateOrNull = (s: string | null): Date | null => (s ? new Date(s) : null);

function toUser(row: Omit<Database['users'], 'id'> & { id: number }): UserRecord {
  return {
    id: row.id, name: row.name, email: row.email, passwordHash: row.password_hash, isAdmin: row.is_admin === 1,
    createdAt: date(row.created_at), updatedAt: date(row.updated_at),
  };
}

function toToken(row: Database['tokens']): TokenRecord {
  return {
    id: row.id, userId: row.user_id, hash: row.hash, display: row.display, name: row.name,
    readOnly: row.read_only === 1, packages: JSON.parse(row.packages), scopes: JSON.parse(row.scopes),
    cidrs: JSON.parse(row.cidrs), expiresAt: dateOrNull(row.expires_at), createdAt: date(row.created_at),
    revokedAt: dateOrNull(row.revoked_at), orgs: JSON.parse(row.orgs), orgsPermission: row.orgs_permission as TokenRecord['orgsPermission'],
    bypass2fa: row.bypass_2fa === 1, description: row.description, lastUsedAt: dateOrNull(row.last_used_at),
    trustedPublisher: row.trusted_publisher ? JSON.parse(row.trusted_publisher) : null,
  };
}

function toPackage(row: Database['packages']): PackageRecord {
  return {
    name: row.name, rev: row.rev, createdAt: date(row.created_at), modifiedAt: date(row.modified_at),
    distTags: JSON.parse(row.dist_tags), fullDoc: row.full_doc, abbrevDoc: row.abbrev_doc, searchText: row.search_text,
  };
}

function toVersion(row: Database['versions']): VersionRecord {
  return {
    name: row.name, version: row.version, manifest: JSON.parse(row.manifest), integrity: row.integrity,
    shasum: row.shasum, blobKey: row.blob_key, size: Number(row.size), fileCount: row.file_count,
    unpackedSize: Number(row.unpacked_size), publishedAt: date(row.published_at), publishedBy: row.published_by,
    deprecated: row.deprecated, logIndex: row.tlog_index === null ? null : Number(row.tlog_index),
    signatures: row.signatures ? JSON.parse(row.signatures) : [], attestations: row.attestations ? JSON.parse(row.attestations) : null,
  };
}

function toWebSession(row: Database['web_sessions']): WebSessionRecord {
  return {
    id: row.id, secretHash: row.secret_hash, userId: row.user_id, aal: row.aal === 2 ? 2 : 1, createdAt: date(row.created_at),
    lastSeenAt: date(row.last_seen_at), expiresAt: date(row.expires_at), ip: row.ip, userAgent: row.user_agent,
  };
}

function toWebLogin(row: Database['web_logins']): WebLoginRecord {
  return {
    id: row.id, doneSecretHash: row.done_secret_hash, userId: row.user_id, createdAt: date(row.created_at),
    expiresAt: date(row.expires_at), consumedAt: dateOrNull(row.consumed_at),
  };
}

/** The metadata port over any Kysely dialect; SQLite and PostgreSQL differ only in set-up. */
export class SqlMetadataOps implements MetadataOps {
  /** GEN-2a tables (namespace-ops.ts), bound to the same connection or transaction. */
  private readonly ns: SqlNamespaceOps;

  constructor(protected readonly db: Db, private readonly lockRows: boolean) {
    this.ns = new SqlNamespaceOps(db);
  }

  insertTombstone(...a: Parameters<NamespaceOps['insertTombstone']>) { return this.ns.insertTombstone(...a); }
  findTombstone(...a: Parameters<NamespaceOps['findTombstone']>) { return this.ns.findTombstone(...a); }
  findTombstoneByBlobKey(...a: Parameters<NamespaceOps['findTombstoneByBlobKey']>) { return this.ns.findTombstoneByBlobKey(...a); }
  listTombstones(...a: Parameters<NamespaceOps['listTombstones']>) { return this.ns.listTombstones(...a); }
  deleteVersion(...a: Parameters<NamespaceOps['deleteVersion']>) { return this.ns.deleteVersion(...a); }
  deletePackage(...a: Parameters<NamespaceOps['deletePackage']>) { return this.ns.deletePackage(...a); }
  saveDeletedName(...a: Parameters<NamespaceOps['saveDeletedName']>) { return this.ns.saveDeletedName(...a); }
  findDeletedName(...a: Parameters<NamespaceOps['findDeletedName']>) { return this.ns.findDeletedName(...a); }
  releaseDeletedName(...a: Parameters<NamespaceOps['releaseDeletedName']>) { return this.ns.releaseDeletedName(...a); }
  insertDependencies(...a: Parameters<NamespaceOps['insertDependencies']>) { return this.ns.insertDependencies(...a); }
  deleteDependencies(...a: Parameters<NamespaceOps['deleteDependencies']>) { return this.ns.deleteDependencies(...a); }
  listDependents(...a: Parameters<NamespaceOps['listDependents']>) { return this.ns.listDependents(...a); }
  topDependedOn(...a: Parameters<NamespaceOps['topDependedOn']>) { return this.ns.topDependedOn(...a); }
  addDownloads(...a: Parameters<NamespaceOps['addDownloads']>) { return this.ns.addDownloads(...a); }
  sumDownloads(...a: Parameters<NamespaceOps['sumDownloads']>) { return this.ns.sumDownloads(...a); }
  topDownloads(...a: Parameters<NamespaceOps['topDownloads']>) { return this.ns.topDownloads(...a); }

  async findUserByName(name: string) {
    const row = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async findUserById(id: number) {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async insertUser(user: NewUser) {
    const now = iso(new Date());
    try {
      const row = await this.db
        .insertInto('users')
        .values({ name: user.name, email: user.email, password_hash: user.passwordHash, is_admin: user.isAdmin ? 1 : 0, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new RegistryError('E_USER_EXISTS', `The user name "${user.name}" is taken.`, { cause: err });
      throw err;
    }
  }

  async updateUserPassword(userId: number, passwordHash: string) {
    await this.db.updateTable('users').set({ password_hash: passwordHash, updated_at: iso(new Date()) }).where('id', '=', userId).execute();
  }

  async findTokenByHash(hash: string) {
    const row = await this.db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
    return row ? toToken(row) : null;
  }

  async insertToken(t: TokenRecord) {
    await this.db
      .insertInto('tokens')
      .values({
        id: t.id, user_id: t.userId, hash: t.hash, display: t.display, name: t.name, read_only: t.readOnly ? 1 : 0,
        packages: JSON.stringify(t.packages), scopes: JSON.stringify(t.scopes), cidrs: JSON.stringify(t.cidrs),
        expires_at: isoOrNull(t.expiresAt), created_at: iso(t.createdAt), revoked_at: isoOrNull(t.revokedAt),
        orgs: JSON.stringify(t.orgs), orgs_permission: t.orgsPermission, bypass_2fa: t.bypass2fa ? 1 : 0,
        description: t.description, last_used_at: isoOrNull(t.lastUsedAt),
        trusted_publisher: t.trustedPublisher ? JSON.stringify(t.trustedPublisher) : null,
      })
      .execute();
  }

  async touchToken(tokenId: string, at: Date) {
    await this.db.updateTable('tokens').set({ last_used_at: iso(at) }).where('id', '=', tokenId).execute();
  }

  async listTokens(userId: number) {
    const rows = await this.db.selectFrom('tokens').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at').execute();
    return rows.map(toToken);
  }

  async listTokensRevokedSince(since: Date) {
    const rows = await this.db.selectFrom('tokens').select('id').where('revoked_at', '>=', iso(since)).execute();
    return rows.map((r) => r.id);
  }

  async revokeToken(tokenId: string, at: Date) {
    const result = await this.db.updateTable('tokens').set({ revoked_at: iso(at) }).where('id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async findPackage(name: string) {
    const row = await this.db.selectFrom('packages').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toPackage(row) : null;
  }

  async findPackageForUpdate(name: string) {
    let query = this.db.selectFrom('packages').selectAll().where('name', '=', name);
    if (this.lockRows) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row ? toPackage(row) : null;
  }

  async savePackage(p: PackageRecord) {
    const values = {
      name: p.name, rev: p.rev, created_at: iso(p.createdAt), modified_at: iso(p.modifiedAt),
      dist_tags: JSON.stringify(p.distTags), full_doc: p.fullDoc, abbrev_doc: p.abbrevDoc, search_text: p.searchText,
    };
    await this.db
      .insertInto('packages')
      .values(values)
      .onConflict((oc) => oc.column('name').doUpdateSet({
        rev: values.rev, modified_at: values.modified_at, dist_tags: values.dist_tags, full_doc: values.full_doc, abbrev_doc: values.abbrev_doc, search_text: values.search_text,
      }))
      .execute();
  }

  async listVersions(name: string) {
    const rows = await this.db.selectFrom('versions').selectAll().where('name', '=', name).orderBy('published_at').orderBy('version').execute();
    return rows.map(toVersion);
  }

  async findVersion(name: string, version: string) {
    const row = await this.db.selectFrom('versions').selectAll().where('name', '=', name).where('version', '=', version).executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  async insertVersion(v: VersionRecord) {
    try {
      await this.db
        .insertInto('versions')
        .values({
          name: v.name, version: v.version, manifest: JSON.stringify(v.manifest), integrity: v.integrity, shasum: v.shasum,
          blob_key: v.blobKey, size: v.size, file_count: v.fileCount, unpacked_size: v.unpackedSize,
          published_at: iso(v.publishedAt), published_by: v.publishedBy, deprecated: v.deprecated, tlog_index: v.logIndex,
          signatures: JSON.stringify(v.signatures ?? []), attestations: v.attestations ? JSON.stringify(v.attestations) : null,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new RegistryError('E_VERSION_EXISTS', `You cannot publish over the previously published version ${v.version}.`, { cause: err });
      }
      throw err;
    }
  }

  async setDeprecated(name: string, version: string, message: string | null) {
    await this.db.updateTable('versions').set({ deprecated: message }).where('name', '=', name).where('version', '=', version).execute();
  }

  async countBlobReferences(blobKey: string) {
    const row = await this.db.selectFrom('versions').select((eb) => eb.fn.countAll<number>().as('n')).where('blob_key', '=', blobKey).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async listMaintainers(name: string): Promise<MaintainerRecord[]> {
    const rows = await this.db
      .selectFrom('maintainers')
      .innerJoin('users', 'users.id', 'maintainers.user_id')
      .select(['users.id as userId', 'users.name as name', 'users.email as email'])
      .where('maintainers.name', '=', name)
      .orderBy('maintainers.added_at')
      .orderBy('users.name')
      .execute();
    return rows;
  }

  async addMaintainer(name: string, userId: number) {
    await this.db.insertInto('maintainers').values({ name, user_id: userId, added_at: iso(new Date()) }).onConflict((oc) => oc.doNothing()).execute();
  }

  async savePackageKey(name: string, key: string) {
    await this.db.insertInto('package_keys').values({ name, key }).onConflict((oc) => oc.column('name').doNothing()).execute();
  }

  async removeMaintainer(name: string, userId: number) {
    await this.db.deleteFrom('maintainers').where('name', '=', name).where('user_id', '=', userId).execute();
  }

  async findScopeOwner(scope: string) {
    const row = await this.db.selectFrom('scopes').select('owner_id').where('scope', '=', scope).executeTakeFirst();
    return row ? row.owner_id : null;
  }

  async claimScope(scope: string, userId: number) {
    await this.db.insertInto('scopes').values({ scope, owner_id: userId, claimed_at: iso(new Date()) }).onConflict((oc) => oc.doNothing()).execute();
  }

  async listTrustConfigs(packageName: string): Promise<TrustConfigRecord[]> {
    const rows = await this.db.selectFrom('trust_configs').selectAll().where('package', '=', packageName).orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id, packageName: r.package, type: r.type as TrustConfigRecord['type'], claims: JSON.parse(r.claims), permissions: JSON.parse(r.permissions),
      pins: JSON.parse(r.pins), createdBy: r.created_by, createdAt: date(r.created_at), pendingUntil: dateOrNull(r.pending_until),
    }));
  }

  async insertTrustConfig(c: TrustConfigRecord) {
    await this.db.insertInto('trust_configs').values({
      id: c.id, package: c.packageName, type: c.type, claims: JSON.stringify(c.claims), permissions: JSON.stringify(c.permissions),
      pins: JSON.stringify(c.pins), created_by: c.createdBy, created_at: iso(c.createdAt), pending_until: isoOrNull(c.pendingUntil),
    }).execute();
  }

  async deleteTrustConfig(packageName: string, id: string) {
    const result = await this.db.deleteFrom('trust_configs').where('package', '=', packageName).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async updateTrustConfigPins(id: string, pins: Readonly<Record<string, string>>) {
    await this.db.updateTable('trust_configs').set({ pins: JSON.stringify(pins) }).where('id', '=', id).execute();
  }

  async recordOidcJti(issuer: string, jti: string, expiresAt: Date) {
    try {
      await this.db.insertInto('oidc_jtis').values({ issuer, jti, expires_at: iso(expiresAt) }).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async deleteExpiredOidcJtis(now: Date) {
    const result = await this.db.deleteFrom('oidc_jtis').where('expires_at', '<', iso(now)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async orgExists(org: string) {
    return (await this.db.selectFrom('orgs').select('name').where('name', '=', org).executeTakeFirst()) !== undefined;
  }

  async insertOrg(org: string, at: Date) {
    try {
      await this.db.insertInto('orgs').values({ name: org, created_at: iso(at) }).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new RegistryError('E_ORG_EXISTS', `The organization ${org} already exists.`, { cause: err });
      throw err;
    }
  }

  async listOrgMembers(org: string): Promise<OrgMemberRecord[]> {
    const rows = await this.db.selectFrom('org_members').innerJoin('users', 'users.id', 'org_members.user_id')
      .select(['org_members.org', 'org_members.user_id', 'org_members.role', 'users.name']).where('org_members.org', '=', org).orderBy('users.name').execute();
    return rows.map((r) => ({ org: r.org, userId: r.user_id, userName: r.name, role: r.role as OrgRole }));
  }

  async findOrgRole(org: string, userId: number) {
    const row = await this.db.selectFrom('org_members').select('role').where('org', '=', org).where('user_id', '=', userId).executeTakeFirst();
    return row ? (row.role as OrgRole) : null;
  }

  async setOrgMember(org: string, userId: number, role: OrgRole, at: Date) {
    await this.db.insertInto('org_members').values({ org, user_id: userId, role, added_at: iso(at) })
      .onConflict((oc) => oc.columns(['org', 'user_id']).doUpdateSet({ role })).execute();
  }

  async removeOrgMember(org: string, userId: number) {
    await this.db.deleteFrom('team_members').where('org', '=', org).where('user_id', '=', userId).execute();
    const result = await this.db.deleteFrom('org_members').where('org', '=', org).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listTeams(org: string): Promise<TeamRecord[]> {
    const rows = await this.db.selectFrom('teams').select(['org', 'name', 'description']).where('org', '=', org).orderBy('name').execute();
    return rows;
  }

  async insertTeam(team: TeamRecord, at: Date) {
    try {
      await this.db.insertInto('teams').values({ org: team.org, name: team.name, description: team.description, created_at: iso(at) }).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new RegistryError('E_TEAM_EXISTS', `The team ${team.org}:${team.name} already exists.`, { cause: err });
      throw err;
    }
  }

  async deleteTeam(org: string, team: string) {
    await this.db.deleteFrom('team_members').where('org', '=', org).where('team', '=', team).execute();
    await this.db.deleteFrom('team_packages').where('org', '=', org).where('team', '=', team).execute();
    const result = await this.db.deleteFrom('teams').where('org', '=', org).where('name', '=', team).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listTeamMembers(org: string, team: string) {
    const rows = await this.db.selectFrom('team_members').innerJoin('users', 'users.id', 'team_members.user_id').select('users.name')
      .where('team_members.org', '=', org).where('team_members.team', '=', team).orderBy('users.name').execute();
    return rows.map((r) => r.name);
  }

  async addTeamMember(org: string, team: string, userId: number) {
    await this.db.insertInto('team_members').values({ org, team, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
  }

  async removeTeamMember(org: string, team: string, userId: number) {
    const result = await this.db.deleteFrom('team_members').where('org', '=', org).where('team', '=', team).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listTeamGrants(org: string, team: string): Promise<TeamGrantRecord[]> {
    const rows = await this.db.selectFrom('team_packages').selectAll().where('org', '=', org).where('team', '=', team).orderBy('package').execute();
    return rows.map((r) => ({ org: r.org, team: r.team, packageName: r.package, permission: r.permission as TeamPermission }));
  }

  async listPackageGrants(packageName: string): Promise<TeamGrantRecord[]> {
    const rows = await this.db.selectFrom('team_packages').selectAll().where('package', '=', packageName).orderBy('team').execute();
    return rows.map((r) => ({ org: r.org, team: r.team, packageName: r.package, permission: r.permission as TeamPermission }));
  }

  async setTeamGrant(g: TeamGrantRecord) {
    await this.db.insertInto('team_packages').values({ org: g.org, team: g.team, package: g.packageName, permission: g.permission })
      .onConflict((oc) => oc.columns(['org', 'team', 'package']).doUpdateSet({ permission: g.permission })).execute();
  }

  async removeTeamGrant(org: string, team: string, packageName: string) {
    const result = await this.db.deleteFrom('team_packages').where('org', '=', org).where('team', '=', team).where('package', '=', packageName).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async findTeamPermission(packageName: string, userId: number): Promise<TeamPermission | null> {
    const rows = await this.db.selectFrom('team_packages')
      .innerJoin('team_members', (j) => j.onRef('team_members.org', '=', 'team_packages.org').onRef('team_members.team', '=', 'team_packages.team'))
      .select('team_packages.permission').where('team_packages.package', '=', packageName).where('team_members.user_id', '=', userId).execute();
    if (rows.some((r) => r.permission === 'read-write')) return 'read-write';
    return rows.length > 0 ? 'read-only' : null;
  }

  async listScopePackages(scope: string) {
    const prefix = `@${scope}/`;
    const rows = await this.db.selectFrom('packages').select('name').where('name', '>=', prefix).where('name', '<', `@${scope}0`).orderBy('name').execute();
    return rows.map((r) => r.name).filter((n) => n.startsWith(prefix));
  }

  async listMaintainedPackages(userId: number) {
    const rows = await this.db.selectFrom('maintainers').select('name').where('user_id', '=', userId).orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  async listStarrers(name: string) {
    const rows = await this.db.selectFrom('stars').innerJoin('users', 'users.id', 'stars.user_id').select('users.name').where('stars.name', '=', name).orderBy('users.name').execute();
    return rows.map((r) => r.name);
  }

  async setStar(name: string, userId: number, starred: boolean) {
    if (starred) await this.db.insertInto('stars').values({ name, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
    else await this.db.deleteFrom('stars').where('name', '=', name).where('user_id', '=', userId).execute();
  }

  async listStarredBy(userId: number) {
    const rows = await this.db.selectFrom('stars').select('name').where('user_id', '=', userId).orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  async searchPackages(text: string, size: number, from: number): Promise<{ hits: SearchHit[]; total: number }> {
    const terms = text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    let query = this.db.selectFrom('packages');
    for (const term of terms) {
      // search_text (name, description, keywords) contains the term; LIKE wildcards in it are
      // escaped, and ESCAPE names the escape character (SQLite has none by default).
      const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`search_text like ${pattern} escape '\\'`);
    }
    const countRow = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await query.select(['name', 'full_doc', 'modified_at']).orderBy('name').limit(size).offset(from).execute();
    return { total: Number(countRow?.n ?? 0), hits: rows.map((r) => ({ name: r.name, fullDoc: r.full_doc, modifiedAt: date(r.modified_at) })) };
  }

  async allocateLogIndex() {
    // One row holds the log size; updating it takes its write lock (PostgreSQL) or the database
    // lock (SQLite), so concurrent appends get consecutive indexes in commit order.
    const row = await this.db.updateTable('tlog_head').set((eb) => ({ size: eb('size', '+', 1) })).where('id', '=', 1).returning('size').executeTakeFirstOrThrow();
    return Number(row.size) - 1;
  }

  async insertLogEntry(entry: LogEntry, hashes: readonly StoredHash[]) {
    const { index, time, event } = entry;
    await this.db.insertInto('tlog_entries').values({ idx: index, time, entry: JSON.stringify(event) }).execute();
    if (hashes.length > 0) {
      await this.db.insertInto('tlog_hashes').values(hashes.map((h) => ({ level: h.level, idx: h.index, hash: Buffer.from(h.hash).toString('hex') }))).execute();
    }
  }

  async findLogHashes(coordinates: ReadonlyArray<{ level: number; index: number }>): Promise<StoredHash[]> {
    const found: StoredHash[] = [];
    // Few coordinates per call (a proof needs about 2 log2 n); chunked to stay under SQL limits.
    for (let i = 0; i < coordinates.length; i += 200) {
      const chunk = coordinates.slice(i, i + 200);
      const rows = await this.db.selectFrom('tlog_hashes').selectAll()
        .where((eb) => eb.or(chunk.map((c) => eb.and([eb('level', '=', c.level), eb('idx', '=', c.index)]))))
        .execute();
      for (const r of rows) found.push({ level: Number(r.level), index: Number(r.idx), hash: Buffer.from(r.hash, 'hex') });
    }
    return found;
  }

  async listLogHashes(level: number, from: number, count: number): Promise<Uint8Array[]> {
    const rows = await this.db.selectFrom('tlog_hashes').select('hash').where('level', '=', level).where('idx', '>=', from).where('idx', '<', from + count).orderBy('idx').execute();
    return rows.map((r) => Buffer.from(r.hash, 'hex'));
  }

  async listLogEntries(since: number, limit: number): Promise<LogEntry[]> {
    const rows = await this.db.selectFrom('tlog_entries').selectAll().where('idx', '>=', since).orderBy('idx').limit(limit).execute();
    return rows.map((r) => ({ index: Number(r.idx), time: r.time, event: JSON.parse(r.entry) }));
  }

  async logSize() {
    const row = await this.db.selectFrom('tlog_head').select('size').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.size);
  }

  async findLatestCheckpoint(): Promise<CheckpointRecord | null> {
    const row = await this.db.selectFrom('tlog_checkpoints').selectAll().orderBy('size', 'desc').limit(1).executeTakeFirst();
    return row ? { size: Number(row.size), note: row.note, issuedAt: date(row.issued_at) } : null;
  }

  async saveCheckpoint(c: CheckpointRecord) {
    await this.db.insertInto('tlog_checkpoints').values({ size: c.size, note: c.note, issued_at: iso(c.issuedAt) }).onConflict((oc) => oc.column('size').doNothing()).execute();
  }

  async updateCheckpointNote(size: number, note: string) {
    await this.db.updateTable('tlog_checkpoints').set({ note }).where('size', '=', size).execute();
  }

  async insertWebLogin(l: WebLoginRecord) {
    await this.db.insertInto('web_logins').values({
      id: l.id, done_secret_hash: l.doneSecretHash, user_id: l.userId, created_at: iso(l.createdAt), expires_at: iso(l.expiresAt), consumed_at: isoOrNull(l.consumedAt),
    }).execute();
  }

  async findWebLogin(id: string) {
    const row = await this.db.selectFrom('web_logins').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toWebLogin(row) : null;
  }

  async completeWebLogin(id: string, userId: number) {
    await this.db.updateTable('web_logins').set({ user_id: userId }).where('id', '=', id).where('user_id', 'is', null).execute();
  }

  async consumeWebLogin(id: string, at: Date) {
    const result = await this.db.updateTable('web_logins').set({ consumed_at: iso(at) }).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async insertWebSession(s: WebSessionRecord) {
    await this.db.insertInto('web_sessions').values({
      id: s.id, secret_hash: s.secretHash, user_id: s.userId, aal: s.aal, created_at: iso(s.createdAt),
      last_seen_at: iso(s.lastSeenAt), expires_at: iso(s.expiresAt), ip: s.ip, user_agent: s.userAgent,
    }).execute();
  }

  async findWebSessionBySecretHash(secretHash: string) {
    const row = await this.db.selectFrom('web_sessions').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row ? toWebSession(row) : null;
  }

  async touchWebSession(id: string, at: Date) {
    await this.db.updateTable('web_sessions').set({ last_seen_at: iso(at) }).where('id', '=', id).execute();
  }

  async listWebSessions(userId: number) {
    const rows = await this.db.selectFrom('web_sessions').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
    return rows.map(toWebSession);
  }

  async deleteWebSession(userId: number, id: string) {
    const result = await this.db.deleteFrom('web_sessions').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteWebSessionsOf(userId: number, keepId: string | null) {
    let query = this.db.deleteFrom('web_sessions').where('user_id', '=', userId);
    if (keepId !== null) query = query.where('id', '!=', keepId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export class SqlMetadataStore extends SqlMetadataOps implements MetadataStore {
  /** `kysely` is public so the composition root can put feature stores (advisories, names) on the same database. */
  constructor(readonly kysely: Kysely<Database>, private readonly dialect: 'sqlite' | 'postgres') {
    super(kysely, dialect === 'postgres');
  }

  /** The same database for feature stores with their own port (e.g. SqlAssessmentStore). */
  get database(): Kysely<Database> {
    return this.kysely;
  }

  transaction<T>(fn: (tx: MetadataOps) => Promise<T>): Promise<T> {
    return this.kysely.transaction().execute((trx) => fn(new SqlMetadataOps(trx, this.dialect === 'postgres')));
  }

  async close() {
    await this.kysely.destroy();
  }
}
