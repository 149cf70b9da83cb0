import type { Kysely } from 'kysely';
import type { StageStore, StagedPublishRecord } from '../../../domain/staged-publish.js';
import type { Database } from './schema.js';

const toRecord = (r: Database['staged_publishes']): StagedPublishRecord => ({
  id: r.id, name: r.name, version: r.version, tag: r.tag, body: r.body, blobKey: r.blob_key, shasum: r.shasum, integrity: r.integrity,
  createdAt: new Date(r.created_at), actorId: r.actor_id, actorName: r.actor_name, actorType: r.actor_type,
  state: r.state as StagedPublishRecord['state'], decidedAt: r.decided_at ? new Date(r.decided_at) : null, decidedBy: r.decided_by,
});

export class SqlStageStore implements StageStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(s: StagedPublishRecord) {
    await this.db.insertInto('staged_publishes').values({
      id: s.id, name: s.name, version: s.version, tag: s.tag, body: s.body, blob_key: s.blobKey, shasum: s.shasum, integrity: s.integrity,
      created_at: s.createdAt.toISOString(), actor_id: s.actorId, actor_name: s.actorName, actor_type: s.actorType, state: s.state,
      decided_at: s.decidedAt?.toISOString() ?? null, decided_by: s.decidedBy,
    }).execute();
  }

  async find(id: string) {
    const row = await this.db.selectFrom('staged_publishes').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async listPending(packageName: string | null, offset: number, limit: number) {
    let query = this.db.selectFrom('staged_publishes').where('state', '=', 'pending');
    if (packageName !== null) query = query.where('name', '=', packageName);
    const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await query.selectAll().orderBy('created_at').orderBy('id').offset(offset).limit(limit).execute();
    return { items: rows.map(toRecord), total };
  }

  async decide(id: string, state: 'approved' | 'rejected', by: string, at: Date) {
    const result = await this.db.updateTable('staged_publishes').set({ state, decided_by: by, decided_at: at.toISOString() })
      .where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
