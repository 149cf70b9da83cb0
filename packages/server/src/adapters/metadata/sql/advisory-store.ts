import { type Kysely } from 'kysely';
import type {
  AdvisoryStore, AdvisoryWrite, IndexedAdvisory, StoredAdvisory,
} from '../../../domain/advisories/advisory-store.js';
import type { Database } from './schema.js';
import { compareByPreference } from '../../../domain/advisories/osv.js';

type AdvisoryRow = Database['advisories'];

function toStored(row: AdvisoryRow): StoredAdvisory {
  return {
    id: row.id, record: JSON.parse(row.record), modified: row.modified, withdrawn: row.withdrawn === 1,
    origin: row.origin as StoredAdvisory['origin'], state: row.state as StoredAdvisory['state'],
    createdBy: row.created_by, ownerPackage: row.owner_package, summary: JSON.parse(row.summary),
  };
}

/** SQLite's default limit on bound parameters is high, PostgreSQL's 65535; stay well below both. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The advisory port over the registry's Kysely database (SQLite or PostgreSQL). */
export class SqlAdvisoryStore implements AdvisoryStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findModified(ids: readonly string[]) {
    const found = new Map<string, string>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db.selectFrom('advisories').select(['id', 'modified']).where('id', 'in', part).execute();
      for (const row of rows) found.set(row.id, row.modified);
    }
    return found;
  }

  async saveAll(writes: readonly AdvisoryWrite[]) {
    if (writes.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const write of writes) {
        const row = this.rowOf(write);
        await trx.insertInto('advisories').values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet({
            modified: row.modified, withdrawn: row.withdrawn, origin: row.origin, state: row.state, created_by: row.created_by,
            owner_package: row.owner_package, record: row.record, summary: row.summary,
          }))
          .execute();
        await this.replaceChildren(trx, write);
      }
      await trx.updateTable('advisory_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
    });
  }

  async insertNew(write: AdvisoryWrite) {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('advisories').values(this.rowOf(write)).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
      await this.replaceChildren(trx, write);
      await trx.updateTable('advisory_state').set((eb) => ({ generation: eb('generation', '+', 1) })).where('id', '=', 1).execute();
      return true;
    });
  }

  private rowOf(write: AdvisoryWrite): AdvisoryRow {
    return {
      id: write.record.id, modified: write.record.modified, withdrawn: write.record.withdrawn ? 1 : 0, origin: write.origin, state: write.state,
      created_by: write.createdBy, owner_package: write.ownerPackage, record: JSON.stringify(write.record), summary: JSON.stringify(write.summary),
    };
  }

  private async replaceChildren(trx: Kysely<Database>, write: AdvisoryWrite) {
    const id = write.record.id;
    await trx.deleteFrom('advisory_packages').where('advisory_id', '=', id).execute();
    await trx.deleteFrom('advisory_aliases').where('advisory_id', '=', id).execute();
    const aliases = [...new Set(write.record.aliases ?? [])].filter((alias) => alias !== id);
    if (aliases.length > 0) await trx.insertInto('advisory_aliases').values(aliases.map((alias) => ({ alias, advisory_id: id }))).execute();
    const seen = new Set<string>();
    for (const pkg of write.packages) {
      // One row per (package, advisory): several affected entries of one package were merged by the caller.
      if (seen.has(pkg.name)) continue;
      seen.add(pkg.name);
      await trx.insertInto('advisory_packages').values({ advisory_id: id, name: pkg.name, range: pkg.range, fixed: JSON.stringify(pkg.fixed) }).execute();
    }
  }

  async find(idOrAlias: string) {
    const row = await this.db.selectFrom('advisories').selectAll().where('id', '=', idOrAlias).executeTakeFirst();
    if (row) return toStored(row);
    const viaAlias = await this.db.selectFrom('advisory_aliases').innerJoin('advisories', 'advisories.id', 'advisory_aliases.advisory_id')
      .selectAll('advisories').where('advisory_aliases.alias', '=', idOrAlias).where('advisories.state', '=', 'published').limit(50).execute();
    const preferred = viaAlias.sort((a, b) => compareByPreference(a.id, b.id))[0];
    return preferred ? toStored(preferred) : null;
  }

  async listForPackages(names: readonly string[]): Promise<IndexedAdvisory[]> {
    const out: IndexedAdvisory[] = [];
    for (const part of chunks([...new Set(names)])) {
      const rows = await this.db.selectFrom('advisory_packages').innerJoin('advisories', 'advisories.id', 'advisory_packages.advisory_id')
        .select(['advisory_packages.advisory_id', 'advisory_packages.name', 'advisory_packages.range', 'advisory_packages.fixed', 'advisories.modified', 'advisories.summary'])
        .where('advisory_packages.name', 'in', part).where('advisories.state', '=', 'published').where('advisories.withdrawn', '=', 0)
        .execute();
      for (const row of rows) {
        out.push({ advisoryId: row.advisory_id, name: row.name, range: row.range, fixed: JSON.parse(row.fixed), modified: row.modified, summary: JSON.parse(row.summary) });
      }
    }
    return out;
  }

  async countWithPrefix(prefix: string) {
    const row = await this.db.selectFrom('advisories').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'like', `${prefix}%`).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listPrivate(ownerPackage: string) {
    const rows = await this.db.selectFrom('advisories').selectAll().where('owner_package', '=', ownerPackage).where('origin', '=', 'private').orderBy('id').execute();
    return rows.map(toStored);
  }

  async generation() {
    const row = await this.db.selectFrom('advisory_state').select('generation').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.generation);
  }

  async count() {
    const row = await this.db.selectFrom('advisories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
