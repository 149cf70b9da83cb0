import { sql, type Kysely, type Transaction } from 'kysely';
import type { MetadataOps, MetadataStore } from '../../../domain/ports.js';
import type {
  CheckpointRecord, MaintainerRecord, NewUser, PackageRecord, SearchHit, TokenRecord, UserRecord, VersionRecord, WebLoginRecord, WebSessionRecord,
} from '../../../domain/records.js';
import { RegistryError } from '../../../domain/errors.js';
import type { LogEntry } from '../../../domain/registry-event.js';
import type { StoredHash } from '../../../domain/tlog/index.js';
import type { Database } from './schema.js';

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
    revokedAt: dateOrNull(row.revoked_at),
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
  constructor(protected readonly db: Db, private readonly lockRows: boolean) {}

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
      })
      .execute();
  }

  async listTokens(userId: number) {
    const rows = await this.db.selectFrom('tokens').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at').execute();
    return rows.map(toToken);
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
  constructor(private readonly kysely: Kysely<Database>, private readonly dialect: 'sqlite' | 'postgres') {
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
