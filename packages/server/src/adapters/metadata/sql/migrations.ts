import { type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Schema history. Append new migrations; never edit a released one. Written in Kysely's schema
 * builder so SQLite and PostgreSQL share them (`idColumn` differs per dialect).
 */
export function migrations(dialect: 'sqlite' | 'postgres'): MigrationProvider {
  const all: Record<string, Migration> = {
    '0001-registry-core': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('users')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('display', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('read_only', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('packages', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('cidrs', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('expires_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema.createIndex('tokens_user').on('tokens').column('user_id').execute();
        await db.schema
          .createTable('packages')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('rev', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('modified_at', 'text', (c) => c.notNull())
          .addColumn('dist_tags', 'text', (c) => c.notNull())
          .addColumn('full_doc', 'text', (c) => c.notNull())
          .addColumn('abbrev_doc', 'text', (c) => c.notNull())
          .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
        await db.schema
          .createTable('versions')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('manifest', 'text', (c) => c.notNull())
          .addColumn('integrity', 'text', (c) => c.notNull())
          .addColumn('shasum', 'text', (c) => c.notNull())
          .addColumn('blob_key', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('file_count', 'integer', (c) => c.notNull())
          .addColumn('unpacked_size', 'integer', (c) => c.notNull())
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('published_by', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('deprecated', 'text')
          .addPrimaryKeyConstraint('versions_pk', ['name', 'version'])
          .execute();
        await db.schema.createIndex('versions_blob').on('versions').column('blob_key').execute();
        await db.schema
          .createTable('maintainers')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('maintainers_pk', ['name', 'user_id'])
          .execute();
        await db.schema
          .createTable('scopes')
          .addColumn('scope', 'text', (c) => c.primaryKey())
          .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('claimed_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('stars')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addPrimaryKeyConstraint('stars_pk', ['name', 'user_id'])
          .execute();
        await db.schema.createIndex('stars_user').on('stars').column('user_id').execute();
        await db.schema
          .createTable('web_logins')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('done_secret_hash', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.references('users.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('consumed_at', 'text')
          .execute();
      },
    },
    '0002-transparency-log': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('tlog_head').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('size', 'integer', (c) => c.notNull()).execute();
        await db.insertInto('tlog_head').values({ id: 1, size: 0 }).execute();
        await db.schema
          .createTable('tlog_entries')
          .addColumn('idx', 'integer', (c) => c.primaryKey())
          .addColumn('time', 'text', (c) => c.notNull())
          .addColumn('entry', 'text', (c) => c.notNull())
          .execute();
        // Every complete subtree hash (level 0: leaf hashes), about 2n rows for n entries.
        await db.schema
          .createTable('tlog_hashes')
          .addColumn('level', 'integer', (c) => c.notNull())
          .addColumn('idx', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('tlog_hashes_pk', ['level', 'idx'])
          .execute();
        await db.schema.alterTable('versions').addColumn('tlog_index', 'integer').execute();
      },
    },
    '0003-tlog-checkpoints': {
      async up(db: Kysely<any>) {
        // Issued checkpoints, so every node and every restart serves the same signed note.
        await db.schema
          .createTable('tlog_checkpoints')
          .addColumn('size', 'integer', (c) => c.primaryKey())
          .addColumn('note', 'text', (c) => c.notNull())
          .addColumn('issued_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0008-auth-factors': {
      async up(db: Kysely<any>) {
        const autoId = (t: ReturnType<Kysely<any>['schema']['createTable']>) => t.addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c: any) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()));
        // AUTHN-1d: mail waits here until delivered, so a restart loses none.
        await autoId(db.schema.createTable('mail_outbox'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('to_address', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          // Also the claim: a worker moves it forward while it sends, so no two nodes send the same row.
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .addColumn('failed_at', 'text')
          .addColumn('last_error', 'text')
          .execute();
        await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['sent_at', 'failed_at', 'next_attempt_at']).execute();
        // AUTHN-1c: one TOTP factor per user; the secret is encrypted, last_step stops replays.
        await db.schema
          .createTable('totp_factors')
          .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
          .addColumn('secret_enc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('confirmed_at', 'text')
          .addColumn('last_step', 'integer')
          .execute();
        await db.schema
          .createTable('recovery_codes')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('code_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
          .execute();
        await autoId(db.schema.createTable('security_events'))
          .addColumn('user_id', 'integer')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('security_events_user').on('security_events').columns(['user_id', 'id']).execute();
        // AUTHN-2b/3a: WebAuthn credentials (security keys and passkeys).
        await db.schema
          .createTable('webauthn_credentials')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('counter', 'integer', (c) => c.notNull())
          .addColumn('transports', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('aaguid', 'text', (c) => c.notNull())
          .addColumn('discoverable', 'integer', (c) => c.notNull())
          .addColumn('backup_eligible', 'integer', (c) => c.notNull())
          .addColumn('backed_up', 'integer', (c) => c.notNull())
          .addColumn('user_verified', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_used_at', 'text')
          .execute();
        await db.schema.createIndex('webauthn_credentials_user').on('webauthn_credentials').column('user_id').execute();
      },
    },
  };
  return { getMigrations: async () => all };
}
