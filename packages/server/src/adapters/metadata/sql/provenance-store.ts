import type { Kysely } from 'kysely';
import type { ProvenanceStore, StoredSigningKey } from '../../../domain/provenance-store.js';
import type { RegistrySignature } from '../../../domain/provenance.js';
import type { Database } from './schema.js';

/** ProvenanceStore over the same Kysely database as the metadata store. */
export class SqlProvenanceStore implements ProvenanceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listSigningKeys(): Promise<StoredSigningKey[]> {
    const rows = await this.db.selectFrom('registry_keys').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      keyid: r.keyid, publicKey: r.public_key, sealedPrivateKey: r.private_key_sealed,
      createdAt: new Date(r.created_at), expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
    }));
  }

  async insertSigningKey(key: StoredSigningKey): Promise<void> {
    await this.db.insertInto('registry_keys').values({
      keyid: key.keyid, public_key: key.publicKey, private_key_sealed: key.sealedPrivateKey,
      created_at: key.createdAt.toISOString(), expires_at: key.expiresAt?.toISOString() ?? null,
    }).onConflict((c) => c.column('keyid').doNothing()).execute();
  }

  async setSigningKeyExpiry(keyid: string, expiresAt: Date): Promise<void> {
    await this.db.updateTable('registry_keys').set({ expires_at: expiresAt.toISOString() }).where('keyid', '=', keyid).execute();
  }

  async listVersionsNotSignedBy(keyid: string, limit: number) {
    // keyids are base64 (no quote or LIKE wildcard other than none): a substring test on the JSON is exact enough.
    const rows = await this.db.selectFrom('versions').select(['name', 'version', 'integrity', 'signatures'])
      .where('signatures', 'not like', `%"keyid":"${keyid}"%`).orderBy('published_at').limit(limit).execute();
    return rows.map((r) => ({ name: r.name, version: r.version, integrity: r.integrity, signatures: JSON.parse(r.signatures ?? '[]') as RegistrySignature[] }));
  }

  async setVersionSignatures(name: string, version: string, signatures: readonly RegistrySignature[]): Promise<void> {
    await this.db.updateTable('versions').set({ signatures: JSON.stringify(signatures) }).where('name', '=', name).where('version', '=', version).execute();
  }

  async requiresProvenance(name: string): Promise<boolean> {
    const row = await this.db.selectFrom('package_settings').select('require_provenance').where('name', '=', name).executeTakeFirst();
    return row?.require_provenance === 1;
  }

  async setRequireProvenance(name: string, required: boolean): Promise<void> {
    await this.db.insertInto('package_settings').values({ name, require_provenance: required ? 1 : 0 })
      .onConflict((c) => c.column('name').doUpdateSet({ require_provenance: required ? 1 : 0 })).execute();
  }
}
