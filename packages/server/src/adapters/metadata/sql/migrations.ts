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
    '0009-web-sessions': {
      async up(db: Kysely<any>) {
        // Browser sessions. The cookie carries a secret; only its SHA-256 is stored, and `id` is
        // the public handle the account page uses to list and end sessions.
        await db.schema
          .createTable('web_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('aal', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('user_agent', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('web_sessions_user').on('web_sessions').column('user_id').execute();
      },
    },
    '0010-assessments': {
      async up(db: Kysely<any>) {
        // GEN-3a: the scheduled self-assessments (bulwark assess against this registry), as a record.
        await db.schema
          .createTable('assessments')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('met', 'integer', (c) => c.notNull())
          .addColumn('levels', 'text', (c) => c.notNull())
          .addColumn('report', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
  return { getMigrations: async () => all };
}
