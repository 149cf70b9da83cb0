import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { MetadataStore } from '../../domain/ports.js';
import type { Database } from './sql/schema.js';
import { migrations } from './sql/migrations.js';
import { SqlMetadataStore } from './sql/sql-metadata-store.js';

/**
 * The embedded default: one SQLite file. WAL lets the admin CLI and the server share it;
 * synchronous=FULL makes an acknowledged publish survive a crash or power loss.
 */
export async function openSqliteMetadataStore(file: string): Promise<MetadataStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const { error } = await new Migrator({ db: kysely, provider: migrations('sqlite') }).migrateToLatest();
  if (error) {
    await kysely.destroy();
    throw error;
  }
  return new SqlMetadataStore(kysely, 'sqlite');
}
