import { sql, type Kysely, type Transaction } from 'kysely';
import type { DeletedNameRecord, DownloadCount, NamespaceOps, RemovalKind, TombstoneRecord } from '../../../domain/namespace-store.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

function toTombstone(row: Database['tombstones']): TombstoneRecord {
  return {
    name: row.name, version: row.version, integrity: row.integrity, blobKey: row.blob_key, kind: row.kind as RemovalKind,
    actor: row.actor, reason: row.reason, publishedAt: new Date(row.published_at), removedAt: new Date(row.removed_at),
  };
}

/** Tombstones, deleted names, the dependents index and download counts over any Kysely dialect. */
export class SqlNamespaceOps implements NamespaceOps {
  constructor(private readonly db: Db) {}

  async insertTombstone(t: TombstoneRecord) {
    await this.db.insertInto('tombstones').values({
      name: t.name, version: t.version, integrity: t.integrity, blob_key: t.blobKey, kind: t.kind, actor: t.actor, reason: t.reason,
      published_at: t.publishedAt.toISOString(), removed_at: t.removedAt.toISOString(),
    }).execute();
  }

  async findTombstone(name: string, version: string) {
    const row = await this.db.selectFrom('tombstones').selectAll().where('name', '=', name).where('version', '=', version).executeTakeFirst();
    return row ? toTombstone(row) : null;
  }

  async findTombstoneByBlobKey(blobKey: string) {
    const row = await this.db.selectFrom('tombstones').selectAll().where('blob_key', '=', blobKey).limit(1).executeTakeFirst();
    return row ? toTombstone(row) : null;
  }

  async listTombstones(name: string) {
    const rows = await this.db.selectFrom('tombstones').selectAll().where('name', '=', name).orderBy('removed_at').orderBy('version').execute();
    return rows.map(toTombstone);
  }

  async deleteVersion(name: string, version: string) {
    await this.db.deleteFrom('versions').where('name', '=', name).where('version', '=', version).execute();
    await this.deleteDependencies(name, version);
  }

  async deletePackage(name: string) {
    await this.db.deleteFrom('maintainers').where('name', '=', name).execute();
    await this.db.deleteFrom('stars').where('name', '=', name).execute();
    await this.db.deleteFrom('packages').where('name', '=', name).execute();
  }

  async saveDeletedName(d: DeletedNameRecord) {
    const values = {
      name: d.name, kind: d.kind, actor: d.actor, reason: d.reason, deleted_at: d.deletedAt.toISOString(),
      former_owner_ids: JSON.stringify(d.formerOwnerIds), doc: d.doc,
    };
    await this.db.insertInto('deleted_names').values(values).onConflict((oc) => oc.column('name').doUpdateSet({
      kind: values.kind, actor: values.actor, reason: values.reason, deleted_at: values.deleted_at, former_owner_ids: values.former_owner_ids, doc: values.doc,
    })).execute();
  }

  async findDeletedName(name: string): Promise<DeletedNameRecord | null> {
    const row = await this.db.selectFrom('deleted_names').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) return null;
    return {
      name: row.name, kind: row.kind as RemovalKind, actor: row.actor, reason: row.reason, deletedAt: new Date(row.deleted_at),
      formerOwnerIds: JSON.parse(row.former_owner_ids) as number[], doc: row.doc,
    };
  }

  async releaseDeletedName(name: string) {
    const result = await this.db.deleteFrom('deleted_names').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async insertDependencies(name: string, version: string, dependsOn: readonly string[]) {
    if (dependsOn.length === 0) return;
    await this.db.insertInto('dependencies').values(dependsOn.map((d) => ({ name, version, depends_on: d })))
      .onConflict((oc) => oc.columns(['name', 'version', 'depends_on']).doNothing()).execute();
  }

  async deleteDependencies(name: string, version: string) {
    await this.db.deleteFrom('dependencies').where('name', '=', name).where('version', '=', version).execute();
  }

  async listDependents(name: string, limit: number) {
    const base = this.db.selectFrom('dependencies').where('depends_on', '=', name).where('name', '!=', name);
    const [rows, total] = await Promise.all([
      base.select('name').distinct().orderBy('name').limit(limit).execute(),
      base.select((eb) => eb.fn.count<number>('name').distinct().as('n')).executeTakeFirst(),
    ]);
    return { names: rows.map((r) => r.name), total: Number(total?.n ?? 0) };
  }

  async topDependedOn(limit: number) {
    const rows = await this.db.selectFrom('dependencies')
      .select(['depends_on', (eb) => eb.fn.count<number>('name').distinct().as('n')])
      .groupBy('depends_on').orderBy('n', 'desc').orderBy('depends_on').limit(limit).execute();
    return rows.map((r) => ({ name: r.depends_on, dependents: Number(r.n) }));
  }

  async addDownloads(counts: readonly DownloadCount[]) {
    // Chunked: SQLite binds at most a few thousand parameters per statement.
    for (let i = 0; i < counts.length; i += 200) {
      const chunk = counts.slice(i, i + 200).map((c) => ({ name: c.name, day: c.day, count: c.count }));
      await this.db.insertInto('download_counts').values(chunk)
        .onConflict((oc) => oc.columns(['name', 'day']).doUpdateSet({ count: sql<number>`download_counts.count + excluded.count` }))
        .execute();
    }
  }

  async sumDownloads(name: string, sinceDay: string) {
    const row = await this.db.selectFrom('download_counts').select((eb) => eb.fn.sum<number>('count').as('n'))
      .where('name', '=', name).where('day', '>=', sinceDay).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async topDownloads(sinceDay: string, limit: number) {
    const rows = await this.db.selectFrom('download_counts')
      .select(['name', (eb) => eb.fn.sum<number>('count').as('n')])
      .where('day', '>=', sinceDay).groupBy('name').orderBy('n', 'desc').orderBy('name').limit(limit).execute();
    return rows.map((r) => ({ name: r.name, downloads: Number(r.n) }));
  }
}
