import type { Kysely } from 'kysely';
import type { WebAuthnCredentialRecord, WebAuthnCredentialStore } from '../../../domain/webauthn-store.js';
import type { Database } from './schema.js';

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

function toCredential(row: Database['webauthn_credentials']): WebAuthnCredentialRecord {
  return {
    id: row.id, userId: row.user_id, name: row.name, publicKey: row.public_key, counter: Number(row.counter),
    transports: JSON.parse(row.transports), aaguid: row.aaguid, discoverable: row.discoverable === 1,
    backupEligible: row.backup_eligible === 1, backedUp: row.backed_up === 1, userVerified: row.user_verified === 1,
    createdAt: new Date(row.created_at), lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
  };
}

/** WebAuthn credentials over the registry's SQL database. */
export class SqlWebAuthnCredentialStore implements WebAuthnCredentialStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: WebAuthnCredentialRecord) {
    try {
      await this.db.insertInto('webauthn_credentials').values({
        id: c.id, user_id: c.userId, name: c.name, public_key: c.publicKey, counter: c.counter,
        transports: JSON.stringify(c.transports), aaguid: c.aaguid, discoverable: c.discoverable ? 1 : 0,
        backup_eligible: c.backupEligible ? 1 : 0, backed_up: c.backedUp ? 1 : 0, user_verified: c.userVerified ? 1 : 0,
        created_at: c.createdAt.toISOString(), last_used_at: c.lastUsedAt ? c.lastUsedAt.toISOString() : null,
      }).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async find(id: string) {
    const row = await this.db.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCredential(row) : null;
  }

  async listForUser(userId: number) {
    const rows = await this.db.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map(toCredential);
  }

  async updateCounter(id: string, counter: number, backedUp: boolean, at: Date) {
    // Authenticators without a counter always send 0; otherwise it must move forward.
    const result = await this.db.updateTable('webauthn_credentials')
      .set({ counter, backed_up: backedUp ? 1 : 0, last_used_at: at.toISOString() })
      .where('id', '=', id)
      .where('counter', counter === 0 ? '=' : '<', counter)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(userId: number, id: string) {
    const result = await this.db.deleteFrom('webauthn_credentials').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
