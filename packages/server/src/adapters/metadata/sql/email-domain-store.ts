import type { Kysely } from 'kysely';
import { emailDomainOf, type DomainStatusRecord, type DomainVerdict, type EmailDomainStore } from '../../../domain/email-domain.js';
import type { Database } from './schema.js';

function toRecord(row: Database['email_domain_status']): DomainStatusRecord {
  return {
    domain: row.domain, verdict: row.verdict as DomainVerdict, reason: row.reason,
    checkedAt: row.checked_at ? new Date(row.checked_at) : null, attemptedAt: new Date(row.attempted_at),
  };
}

/** AUTHN-2a verdicts per email domain over the registry's SQL database. */
export class SqlEmailDomainStore implements EmailDomainStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listRegisteredDomains(): Promise<string[]> {
    const rows = await this.db.selectFrom('users').select('email').distinct().execute();
    const domains = new Set<string>();
    for (const row of rows) {
      const domain = emailDomainOf(row.email);
      if (domain) domains.add(domain);
    }
    return [...domains].sort();
  }

  async find(domain: string): Promise<DomainStatusRecord | null> {
    const row = await this.db.selectFrom('email_domain_status').selectAll().where('domain', '=', domain).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async save(record: DomainStatusRecord): Promise<void> {
    const values = {
      verdict: record.verdict, reason: record.reason.slice(0, 200),
      checked_at: record.checkedAt ? record.checkedAt.toISOString() : null, attempted_at: record.attemptedAt.toISOString(),
    };
    await this.db.insertInto('email_domain_status').values({ domain: record.domain, ...values })
      .onConflict((oc) => oc.column('domain').doUpdateSet(values)).execute();
  }

  async list(): Promise<DomainStatusRecord[]> {
    return (await this.db.selectFrom('email_domain_status').selectAll().orderBy('domain').execute()).map(toRecord);
  }
}
