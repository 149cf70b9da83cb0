import { sql, type Kysely } from 'kysely';
import type { ImportedName, NameHold, NameList, NameListEntry, NameStore, PackagePopularity } from '../../../domain/name-store.js';
import type { Database } from './schema.js';

const BATCH = 500;

/** The typosquat guard's tables (migration 0004-protected-names) over the metadata database. */
export class SqlNameStore implements NameStore {
  constructor(private readonly db: Kysely<Database>) {}

  async importProtectedNames(rows: readonly ImportedName[], at: Date) {
    const importedAt = at.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const count = async () => Number((await trx.selectFrom('protected_names').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      for (let i = 0; i < rows.length; i += BATCH) {
        const values = rows.slice(i, i + BATCH).map((r) => ({ name: r.name, downloads: r.downloads, imported_at: importedAt }));
        await trx.insertInto('protected_names').values(values)
          .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ downloads: eb.ref('excluded.downloads'), imported_at: eb.ref('excluded.imported_at') })))
          .execute();
      }
      const added = (await count()) - before;
      return { added, updated: rows.length - added };
    });
  }

  async topProtectedNames(limit: number): Promise<ImportedName[]> {
    if (limit <= 0) return [];
    const rows = await this.db.selectFrom('protected_names').select(['name', 'downloads']).orderBy('downloads', 'desc').orderBy('name').limit(limit).execute();
    return rows.map((r) => ({ name: r.name, downloads: Number(r.downloads) }));
  }

  /**
   * Dependents per package: distinct packages whose versions list it in `dependencies`.
   * SQLite's json_each; a PostgreSQL adapter would use jsonb_each_text.
   */
  async rankPackages(limit: number, minDependents: number): Promise<PackagePopularity[]> {
    if (limit <= 0) return [];
    const result = await sql<{ name: string; dependents: number }>`
      select p.name as name, coalesce(x.dependents, 0) as dependents
      from packages p
      left join (
        select d.key as name, count(distinct v.name) as dependents
        from versions v, json_each(v.manifest, '$.dependencies') d
        where d.key <> v.name
        group by d.key
      ) x on x.name = p.name
      where coalesce(x.dependents, 0) >= ${minDependents}
      order by dependents desc, p.name
      limit ${limit}`.execute(this.db);
    return result.rows.map((r) => ({ name: r.name, dependents: Number(r.dependents), downloads: 0 }));
  }

  async corpusVersion() {
    const result = await sql<{ imported: string; packages: string }>`
      select (select count(*) from protected_names) || ':' || (select coalesce(max(imported_at), '') from protected_names) as imported,
        (select count(*) from packages) || ':' || (select count(*) from versions) as packages`.execute(this.db);
    const row = result.rows[0];
    return { imported: String(row?.imported ?? ''), packages: String(row?.packages ?? '') };
  }

  async findNameList(name: string): Promise<NameList | null> {
    const row = await this.db.selectFrom('name_lists').select('list').where('name', '=', name).executeTakeFirst();
    return row ? (row.list as NameList) : null;
  }

  async setNameList(name: string, list: NameList | null, note: string | null, at: Date) {
    if (list === null) {
      await this.db.deleteFrom('name_lists').where('name', '=', name).execute();
      return;
    }
    await this.db.insertInto('name_lists').values({ name, list, note, added_at: at.toISOString() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ list, note, added_at: at.toISOString() }))
      .execute();
  }

  async listNameLists(): Promise<NameListEntry[]> {
    const rows = await this.db.selectFrom('name_lists').selectAll().orderBy('list').orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, list: r.list as NameList, note: r.note, addedAt: new Date(r.added_at) }));
  }

  async recordHold(hold: Omit<NameHold, 'firstAt' | 'lastAt' | 'attempts'>, at: Date) {
    const now = at.toISOString();
    await this.db.insertInto('name_holds')
      .values({ name: hold.name, requested_by: hold.requestedBy, rule: hold.rule, similar_to: hold.similarTo, reason: hold.reason, first_at: now, last_at: now, attempts: 1 })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({
        requested_by: hold.requestedBy, rule: hold.rule, similar_to: hold.similarTo, reason: hold.reason, last_at: now, attempts: eb('name_holds.attempts', '+', 1),
      })))
      .execute();
  }

  async listHolds(): Promise<NameHold[]> {
    const rows = await this.db.selectFrom('name_holds').selectAll().orderBy('last_at', 'desc').execute();
    return rows.map((r) => ({
      name: r.name, requestedBy: r.requested_by, rule: r.rule, similarTo: r.similar_to, reason: r.reason,
      firstAt: new Date(r.first_at), lastAt: new Date(r.last_at), attempts: Number(r.attempts),
    }));
  }

  async deleteHold(name: string) {
    await this.db.deleteFrom('name_holds').where('name', '=', name).execute();
  }

  async maintainedBy(userId: number, names: readonly string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows = await this.db.selectFrom('maintainers').select('name').where('user_id', '=', userId).where('name', 'in', [...names]).execute();
    return new Set(rows.map((r) => r.name));
  }

  async findPackagesByKey(key: string): Promise<string[]> {
    return (await this.db.selectFrom('package_keys').select('name').where('key', '=', key).limit(10).execute()).map((r) => r.name);
  }
}
