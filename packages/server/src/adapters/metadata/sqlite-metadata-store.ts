import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from './sql/schema.js';
import { migrations } from './sql/migrations.js';
import { SqlMetadataStore } from './sql/sql-metadata-store.js';

/**
 * Kysely prepares every query anew; preparing is most of a small query's cost in SQLite. The
 * connection is used by one query at a time (Kysely's driver holds a mutex), so reusing a
 * prepared statement per SQL text is safe. Bounded: queries are built from a fixed set of shapes.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size < 500) statements.set(sql, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}

/**
 * The embedded default: one SQLite file. WAL lets the admin CLI and the server share it;
 * synchronous=FULL makes an acknowledged publish survive a crash or power loss.
 */
export async function openSqliteMetadataStore(file: string): Promise<SqlMetadataStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const { error } = await new Migrator({ db: kysely, provider: migrations('sqlite') }).migrateToLatest();
  if (error) {
    await kysely.destroy();
    throw error;
  }
  return new SqlMetadataStore(kysely, 'sqlite');
}
