import type { Kysely } from 'kysely';
import type { TotpFactorRecord, TotpStore } from '../../../domain/totp-store.js';
import type { Database } from './schema.js';

function toFactor(row: Database['totp_factors']): TotpFactorRecord {
  return {
    userId: row.user_id, secretSealed: row.secret_enc, createdAt: new Date(row.created_at),
    confirmedAt: row.confirmed_at ? new Date(row.confirmed_at) : null, lastStep: row.last_step === null ? null : Number(row.last_step),
  };
}

/** TOTP factors and recovery codes over the registry's SQL database. */
export class SqlTotpStore implements TotpStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(userId: number) {
    const row = await this.db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row ? toFactor(row) : null;
  }

  async savePending(userId: number, secretSealed: string, at: Date) {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('totp_factors').select('confirmed_at').where('user_id', '=', userId).executeTakeFirst();
      if (existing?.confirmed_at) return false;
      await trx.deleteFrom('totp_factors').where('user_id', '=', userId).execute();
      await trx.insertInto('totp_factors').values({ user_id: userId, secret_enc: secretSealed, created_at: at.toISOString(), confirmed_at: null, last_step: null }).execute();
      return true;
    });
  }

  async confirm(userId: number, step: number | null, at: Date) {
    const result = await this.db.updateTable('totp_factors').set({ confirmed_at: at.toISOString(), last_step: step })
      .where('user_id', '=', userId).where('confirmed_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async acceptStep(userId: number, step: number) {
    // One conditional UPDATE: the database serialises it, so of two requests with the same
    // step only the first sees last_step < step.
    const result = await this.db.updateTable('totp_factors').set({ last_step: step })
      .where('user_id', '=', userId).where('confirmed_at', 'is not', null)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(userId: number) {
    const result = await this.db.deleteFrom('totp_factors').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async replaceRecoveryCodes(userId: number, codeHashes: readonly string[], at: Date) {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      if (codeHashes.length === 0) return;
      await trx.insertInto('recovery_codes')
        .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: at.toISOString(), used_at: null })))
        .execute();
    });
  }

  async burnRecoveryCode(userId: number, codeHash: string, at: Date) {
    const result = await this.db.updateTable('recovery_codes').set({ used_at: at.toISOString() })
      .where('user_id', '=', userId).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async countUnusedRecoveryCodes(userId: number) {
    const row = await this.db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
