import type { Kysely } from 'kysely';
import type { SecurityEvent, SecurityEventKind, SecurityEventStore } from '../../../domain/security-event.js';
import type { Database } from './schema.js';

function toEvent(row: Omit<Database['security_events'], 'id'> & { id: number }): SecurityEvent {
  return {
    id: row.id, userId: row.user_id, kind: row.kind as SecurityEventKind, ip: row.ip, userAgent: row.user_agent,
    detail: JSON.parse(row.detail), createdAt: new Date(row.created_at),
  };
}

/** The per-user security event log over the registry's SQL database. */
export class SqlSecurityEventStore implements SecurityEventStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(event: Omit<SecurityEvent, 'id'>) {
    const row = await this.db.insertInto('security_events').values({
      user_id: event.userId, kind: event.kind, ip: event.ip, user_agent: event.userAgent,
      detail: JSON.stringify(event.detail), created_at: event.createdAt.toISOString(),
    }).returningAll().executeTakeFirstOrThrow();
    return toEvent(row);
  }

  async listForUser(userId: number, limit: number, before?: number) {
    let query = this.db.selectFrom('security_events').selectAll().where('user_id', '=', userId);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toEvent);
  }
}
