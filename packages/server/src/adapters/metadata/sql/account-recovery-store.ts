import type { Kysely } from 'kysely';
import type { AccountRecoveryStore, RecoveryLinkRecord } from '../../../domain/account-recovery-store.js';
import type { Database } from './schema.js';

function toLink(row: Database['account_recovery_links']): RecoveryLinkRecord {
  return {
    tokenHash: row.token_hash, userId: row.user_id, email: row.email, createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at), usedAt: row.used_at ? new Date(row.used_at) : null,
  };
}

/** Operator-assisted recovery (AUTHN-1b) over the registry's SQL database. */
export class SqlAccountRecoveryStore implements AccountRecoveryStore {
  constructor(private readonly db: Kysely<Database>) {}

  async clearPassword(userId: number, at: Date): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: null, updated_at: at.toISOString() }).where('id', '=', userId).execute();
  }

  async setEmail(userId: number, email: string, at: Date): Promise<void> {
    await this.db.updateTable('users').set({ email, updated_at: at.toISOString() }).where('id', '=', userId).execute();
  }

  async insertLink(link: RecoveryLinkRecord): Promise<void> {
    await this.db.insertInto('account_recovery_links').values({
      token_hash: link.tokenHash, user_id: link.userId, email: link.email, created_at: link.createdAt.toISOString(),
      expires_at: link.expiresAt.toISOString(), used_at: null,
    }).execute();
  }

  async consumeLink(tokenHash: string, at: Date): Promise<RecoveryLinkRecord | null> {
    const now = at.toISOString();
    // One UPDATE both checks and spends the link, so two concurrent uses cannot both win.
    const row = await this.db.updateTable('account_recovery_links').set({ used_at: now })
      .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', now)
      .returningAll().executeTakeFirst();
    return row ? toLink(row) : null;
  }

  async findLiveLink(tokenHash: string, at: Date): Promise<RecoveryLinkRecord | null> {
    const row = await this.db.selectFrom('account_recovery_links').selectAll()
      .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', at.toISOString()).executeTakeFirst();
    return row ? toLink(row) : null;
  }

  async expireLinksOf(userId: number, at: Date): Promise<void> {
    await this.db.updateTable('account_recovery_links').set({ expires_at: at.toISOString() })
      .where('user_id', '=', userId).where('used_at', 'is', null).where('expires_at', '>', at.toISOString()).execute();
  }
}
