import type { Kysely } from 'kysely';
import type { ApprovalFactor } from '../../../domain/web-otp.js';
import type { AccountLinkPurpose, WebAuthStore, WebOtpApprovalRecord } from '../../../domain/web-auth-store.js';

/** Tables of migration 0015-web-auth (typed here so schema.ts stays untouched by this feature). */
interface WebAuthTables {
  users: { id: number; email: string; updated_at: string };
  account_security: { user_id: number; email_verified_at: string | null; must_change_password: number };
  account_links: { secret_hash: string; user_id: number; purpose: string; created_at: string; expires_at: string; used_at: string | null; new_email: string | null };
  web_auth_flows: { key_hash: string; user_id: number | null; data: string; expires_at: string };
  known_devices: { user_id: number; device_hash: string; first_seen_at: string };
  web_otp_approvals: {
    id_hash: string; user_id: number; what: string; done_secret_hash: string; factor: string | null; code_hash: string | null;
    created_at: string; expires_at: string; approved_at: string | null; collected_at: string | null; consumed_at: string | null;
    aaguid: string | null; phishing_resistant: number;
  };
}

const date = (s: string | null): Date | null => (s ? new Date(s) : null);

/** WebAuthStore over the registry's SQL database. Single-use steps are one conditional UPDATE each. */
export class SqlWebAuthStore implements WebAuthStore {
  private readonly db: Kysely<WebAuthTables>;

  constructor(db: Kysely<any>) {
    this.db = db as Kysely<WebAuthTables>;
  }

  async accountState(userId: number) {
    const row = await this.db.selectFrom('account_security').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row ? { emailVerifiedAt: date(row.email_verified_at), mustChangePassword: row.must_change_password === 1 } : null;
  }

  async setEmailVerified(userId: number, at: Date | null) {
    const value = at ? at.toISOString() : null;
    await this.db.insertInto('account_security').values({ user_id: userId, email_verified_at: value, must_change_password: 0 })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ email_verified_at: value })).execute();
  }

  async setMustChangePassword(userId: number, value: boolean) {
    const existing = await this.accountState(userId);
    if (!existing) {
      // No row: an operator-made account, whose email counts as verified.
      await this.db.insertInto('account_security').values({ user_id: userId, email_verified_at: new Date(0).toISOString(), must_change_password: value ? 1 : 0 }).execute();
      return;
    }
    await this.db.updateTable('account_security').set({ must_change_password: value ? 1 : 0 }).where('user_id', '=', userId).execute();
  }

  async findUserIdByEmail(email: string) {
    const row = await this.db.selectFrom('users').select('id').where('email', '=', email).orderBy('id').executeTakeFirst();
    return row ? row.id : null;
  }

  async insertLink(link: { secretHash: string; userId: number; purpose: AccountLinkPurpose; createdAt: Date; expiresAt: Date; newEmail?: string }) {
    await this.db.insertInto('account_links').values({
      secret_hash: link.secretHash, user_id: link.userId, purpose: link.purpose, created_at: link.createdAt.toISOString(),
      expires_at: link.expiresAt.toISOString(), used_at: null, new_email: link.newEmail ?? null,
    }).execute();
  }

  async useEmailChangeLink(secretHash: string, now: Date) {
    const row = await this.claimLink(secretHash, 'change-email', now);
    return row?.new_email ? { userId: row.user_id, newEmail: row.new_email } : null;
  }

  async setUserEmail(userId: number, email: string, at: Date) {
    await this.db.updateTable('users').set({ email, updated_at: at.toISOString() }).where('id', '=', userId).execute();
  }

  async useLink(secretHash: string, purpose: AccountLinkPurpose, now: Date) {
    const row = await this.claimLink(secretHash, purpose, now);
    return row ? row.user_id : null;
  }

  /** Marks a live, unused link used in one conditional UPDATE; its row, or undefined. */
  private claimLink(secretHash: string, purpose: AccountLinkPurpose, now: Date) {
    return this.db.updateTable('account_links').set({ used_at: now.toISOString() })
      .where('secret_hash', '=', secretHash).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', now.toISOString())
      .returning(['user_id', 'new_email']).executeTakeFirst();
  }

  async peekLink(secretHash: string, purpose: AccountLinkPurpose, now: Date) {
    const row = await this.db.selectFrom('account_links').select('user_id')
      .where('secret_hash', '=', secretHash).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    return row ? row.user_id : null;
  }

  async putFlow(keyHash: string, userId: number | null, data: string, expiresAt: Date) {
    await this.db.insertInto('web_auth_flows').values({ key_hash: keyHash, user_id: userId, data, expires_at: expiresAt.toISOString() })
      .onConflict((oc) => oc.column('key_hash').doUpdateSet({ user_id: userId, data, expires_at: expiresAt.toISOString() })).execute();
  }

  async getFlow(keyHash: string, now: Date) {
    const row = await this.db.selectFrom('web_auth_flows').selectAll().where('key_hash', '=', keyHash).where('expires_at', '>', now.toISOString()).executeTakeFirst();
    return row ? { userId: row.user_id, data: row.data } : null;
  }

  async takeFlow(keyHash: string, now: Date) {
    const row = await this.db.deleteFrom('web_auth_flows').where('key_hash', '=', keyHash).returningAll().executeTakeFirst();
    // Expired rows of other flows go with every take, so the table stays small.
    await this.db.deleteFrom('web_auth_flows').where('expires_at', '<=', now.toISOString()).execute();
    return row && row.expires_at > now.toISOString() ? { userId: row.user_id, data: row.data } : null;
  }

  async rememberDevice(userId: number, deviceHash: string, at: Date) {
    const result = await this.db.insertInto('known_devices').values({ user_id: userId, device_hash: deviceHash, first_seen_at: at.toISOString() })
      .onConflict((oc) => oc.columns(['user_id', 'device_hash']).doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async countDevices(userId: number) {
    const row = await this.db.selectFrom('known_devices').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insertApproval(r: WebOtpApprovalRecord) {
    await this.db.insertInto('web_otp_approvals').values({
      id_hash: r.idHash, user_id: r.userId, what: r.what, done_secret_hash: r.doneSecretHash, factor: null, code_hash: null,
      created_at: r.createdAt.toISOString(), expires_at: r.expiresAt.toISOString(), approved_at: null, collected_at: null, consumed_at: null,
      phishing_resistant: r.phishingResistant ? 1 : 0,
    }).execute();
  }

  async findApproval(idHash: string) {
    const row = await this.db.selectFrom('web_otp_approvals').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!row) return null;
    return {
      idHash: row.id_hash, userId: row.user_id, what: row.what, doneSecretHash: row.done_secret_hash, factor: row.factor as ApprovalFactor | null,
      createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at), approvedAt: date(row.approved_at), collectedAt: date(row.collected_at),
      phishingResistant: row.phishing_resistant === 1,
    };
  }

  async approve(idHash: string, factor: ApprovalFactor, aaguid: string | null, at: Date) {
    const result = await this.db.updateTable('web_otp_approvals').set({ factor, aaguid, approved_at: at.toISOString() })
      .where('id_hash', '=', idHash).where('approved_at', 'is', null).where('expires_at', '>', at.toISOString()).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async collectApproval(idHash: string, codeHash: string, now: Date) {
    const result = await this.db.updateTable('web_otp_approvals').set({ code_hash: codeHash, collected_at: now.toISOString() })
      .where('id_hash', '=', idHash).where('approved_at', 'is not', null).where('collected_at', 'is', null).where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async consumeApprovalCode(userId: number, codeHash: string, now: Date) {
    const row = await this.db.updateTable('web_otp_approvals').set({ consumed_at: now.toISOString() })
      .where('code_hash', '=', codeHash).where('user_id', '=', userId).where('consumed_at', 'is', null).where('expires_at', '>', now.toISOString())
      .returning(['factor', 'aaguid']).executeTakeFirst();
    return row ? { factor: row.factor as ApprovalFactor, ...(row.aaguid ? { aaguid: row.aaguid } : {}) } : null;
  }
}
