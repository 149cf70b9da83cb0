import type { Kysely } from 'kysely';
import type { MailMessage, MailOutboxStore, OutboxRecord } from '../../../domain/mail.js';
import type { Database } from './schema.js';

const dateOrNull = (s: string | null): Date | null => (s ? new Date(s) : null);

function toRecord(row: Omit<Database['mail_outbox'], 'id'> & { id: number }): OutboxRecord {
  return {
    id: row.id, kind: row.kind, to: row.to_address, subject: row.subject, text: row.body, createdAt: new Date(row.created_at),
    attempts: row.attempts, nextAttemptAt: new Date(row.next_attempt_at), sentAt: dateOrNull(row.sent_at),
    failedAt: dateOrNull(row.failed_at), lastError: row.last_error,
  };
}

/** The mail outbox over the registry's SQL database. */
export class SqlMailOutboxStore implements MailOutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  async enqueue(kind: string, message: MailMessage, at: Date) {
    const row = await this.db.insertInto('mail_outbox').values({
      kind, to_address: message.to, subject: message.subject, body: message.text, created_at: at.toISOString(),
      attempts: 0, next_attempt_at: at.toISOString(), sent_at: null, failed_at: null, last_error: null,
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number) {
    const claimed: OutboxRecord[] = [];
    const due = await this.db.selectFrom('mail_outbox').select(['id', 'next_attempt_at'])
      .where('sent_at', 'is', null).where('failed_at', 'is', null).where('next_attempt_at', '<=', now.toISOString())
      .orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
    for (const candidate of due) {
      // Compare-and-set on the time we read: another worker that claimed it first moved it.
      const result = await this.db.updateTable('mail_outbox').set({ next_attempt_at: leaseUntil.toISOString() })
        .where('id', '=', candidate.id).where('next_attempt_at', '=', candidate.next_attempt_at)
        .where('sent_at', 'is', null).where('failed_at', 'is', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) continue;
      const row = await this.db.selectFrom('mail_outbox').selectAll().where('id', '=', candidate.id).executeTakeFirstOrThrow();
      claimed.push(toRecord(row));
    }
    return claimed;
  }

  async markSent(id: number, at: Date) {
    await this.db.updateTable('mail_outbox').set((eb) => ({ sent_at: at.toISOString(), attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', '=', id).execute();
  }

  async markFailed(id: number, error: string, retryAt: Date | null, at: Date) {
    await this.db.updateTable('mail_outbox').set((eb) => ({
      attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500),
      ...(retryAt ? { next_attempt_at: retryAt.toISOString() } : { failed_at: at.toISOString() }),
    })).where('id', '=', id).execute();
  }

  async find(id: number) {
    const row = await this.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(limit: number) {
    const rows = await this.db.selectFrom('mail_outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toRecord);
  }
}
