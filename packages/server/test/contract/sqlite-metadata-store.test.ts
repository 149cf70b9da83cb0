import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { openSqliteMetadataStore } from '../../src/adapters/metadata/sqlite-metadata-store.js';
import { migrations } from '../../src/adapters/metadata/sql/migrations.js';
import { RegistryError } from '../../src/domain/errors.js';
import { runMetadataStoreContract } from './metadata-store.contract.js';
import { runNamespaceContract } from './namespace-store.contract.js';

let dir: string;
let counter = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-sqlite-contract-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

runMetadataStoreContract('sqlite (temp file)', () => openSqliteMetadataStore(join(dir, `store-${++counter}.sqlite`)));
runNamespaceContract('sqlite (temp file)', () => openSqliteMetadataStore(join(dir, `store-${++counter}.sqlite`)));

describe('openSqliteMetadataStore', () => {
  test('reopening the same file keeps users, packages, versions and maintainers', async () => {
    const file = join(dir, 'reopen.sqlite');
    const first = await openSqliteMetadataStore(file);
    const alice = await first.insertUser({ name: 'alice', email: 'alice@example.com', passwordHash: 'h', isAdmin: false });
    const now = new Date('2024-05-06T07:08:09.010Z');
    await first.transaction(async (tx) => {
      await tx.savePackage({ name: 'widget', rev: 1, createdAt: now, modifiedAt: now, distTags: { latest: '1.0.0' }, fullDoc: '{"f":1}', abbrevDoc: '{"a":1}', searchText: 'widget' });
      await tx.insertVersion({
        name: 'widget', version: '1.0.0', manifest: { name: 'widget', version: '1.0.0' }, integrity: 'sha512-x', shasum: 'a'.repeat(40),
        blobKey: 'b'.repeat(128), size: 10, fileCount: 1, unpackedSize: 20, publishedAt: now, publishedBy: alice.id, deprecated: null, logIndex: null,
      });
      await tx.addMaintainer('widget', alice.id);
    });
    await first.close();

    const second = await openSqliteMetadataStore(file);
    try {
      assert.deepEqual(await second.findUserByName('alice'), alice);
      assert.equal((await second.findPackage('widget'))?.fullDoc, '{"f":1}');
      assert.equal((await second.findVersion('widget', '1.0.0'))?.unpackedSize, 20);
      assert.deepEqual((await second.listMaintainers('widget')).map((m) => m.userId), [alice.id]);
    } finally {
      await second.close();
    }
  });

  test('migrations are idempotent: opening a file again applies none twice and keeps constraints', async () => {
    const file = join(dir, 'migrate.sqlite');
    for (let i = 0; i < 3; i++) {
      const store = await openSqliteMetadataStore(file);
      if (i === 0) await store.insertUser({ name: 'alice', email: 'alice@example.com', passwordHash: null, isAdmin: false });
      await store.close();
    }

    const known = Object.keys(await migrations('sqlite').getMigrations());
    const raw = new SQLite(file, { readonly: true });
    try {
      const applied = raw.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>;
      assert.deepEqual(applied.map((r) => r.name), known.sort());
      const users = raw.prepare('SELECT name FROM users').all() as Array<{ name: string }>;
      assert.deepEqual(users.map((u) => u.name), ['alice']);
    } finally {
      raw.close();
    }

    const store = await openSqliteMetadataStore(file);
    try {
      await assert.rejects(
        store.insertUser({ name: 'alice', email: 'other@example.com', passwordHash: null, isAdmin: false }),
        (err: unknown) => err instanceof RegistryError && err.code === 'E_USER_EXISTS',
      );
    } finally {
      await store.close();
    }
  });

  test('GEN-2a: the 0005 migration indexes the dependencies of versions published before it', async () => {
    const file = join(dir, 'backfill.sqlite');
    const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    const { error } = await new Migrator({ db: kysely, provider: migrations('sqlite') }).migrateTo('0003-tlog-checkpoints');
    assert.equal(error, undefined);
    const now = new Date().toISOString();
    await kysely.insertInto('users').values({ name: 'alice', email: 'a@example.com', created_at: now, updated_at: now }).execute();
    await kysely.insertInto('versions').values({
      name: 'app', version: '1.0.0', manifest: JSON.stringify({ dependencies: { core: '^1' }, peerDependencies: { react: '*' }, devDependencies: { tap: '*' } }),
      integrity: 'sha512-x', shasum: 'a'.repeat(40), blob_key: 'b'.repeat(128), size: 1, file_count: 1, unpacked_size: 1, published_at: now, published_by: 1,
    }).execute();
    await kysely.destroy();
    const store = await openSqliteMetadataStore(file);
    try {
      assert.deepEqual(await store.listDependents('core', 10), { names: ['app'], total: 1 });
      assert.deepEqual(await store.listDependents('react', 10), { names: ['app'], total: 1 });
      assert.deepEqual(await store.listDependents('tap', 10), { names: [], total: 0 }, 'devDependencies do not count');
    } finally {
      await store.close();
    }
  });

  test('creates missing parent directories of the database file', async () => {
    const file = join(dir, 'nested', 'deeper', 'registry.sqlite');
    const store = await openSqliteMetadataStore(file);
    try {
      await store.insertUser({ name: 'bob', email: 'bob@example.com', passwordHash: null, isAdmin: false });
      assert.equal((await store.findUserByName('bob'))?.name, 'bob');
    } finally {
      await store.close();
    }
  });
});
