/**
 * The MetadataStore contract: every adapter (SQLite now, PostgreSQL later) runs this suite
 * unchanged. `open` must return a store on an empty database; the suite closes it after each test.
 * Only the port is used here, no SQL and no adapter internals.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryError } from '../../src/domain/errors.js';
import type { MetadataOps, MetadataStore } from '../../src/domain/ports.js';
import type { PackageRecord, TokenRecord, UserRecord, VersionRecord, WebLoginRecord } from '../../src/domain/records.js';

const T0 = new Date('2024-03-01T10:00:00.123Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

function hex(seed: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += Buffer.from(`${seed}:${i}`).toString('hex');
  return out.slice(0, length);
}

async function addUser(store: MetadataOps, name: string, extra: Partial<{ email: string; isAdmin: boolean; passwordHash: string | null }> = {}): Promise<UserRecord> {
  return store.insertUser({
    name,
    email: extra.email ?? `${name}@example.com`,
    passwordHash: extra.passwordHash === undefined ? `$argon2id$v=19$fake$${name}` : extra.passwordHash,
    isAdmin: extra.isAdmin ?? false,
  });
}

function packageRecord(name: string, overrides: Partial<PackageRecord> = {}): PackageRecord {
  const description = `The ${name} package`;
  return {
    name,
    rev: 1,
    createdAt: T0,
    modifiedAt: T0,
    distTags: { latest: '1.0.0' },
    // Shaped like the real documents: the full one carries the description, the abbreviated one not.
    fullDoc: JSON.stringify({ _id: name, name, description, 'dist-tags': { latest: '1.0.0' }, versions: {} }),
    abbrevDoc: JSON.stringify({ name, modified: T0.toISOString(), 'dist-tags': { latest: '1.0.0' }, versions: {} }),
    searchText: `${name} ${description}`.toLowerCase(),
    ...overrides,
  };
}

function versionRecord(name: string, version: string, publishedBy: number, overrides: Partial<VersionRecord> = {}): VersionRecord {
  const blobKey = hex(`${name}@${version}`, 128);
  return {
    name,
    version,
    manifest: { name, version, description: 'd', dependencies: { semver: '^7.0.0' }, scripts: { test: 'node --test' } },
    integrity: `sha512-${Buffer.from(blobKey, 'hex').toString('base64')}`,
    shasum: hex(`sha1:${name}@${version}`, 40),
    blobKey,
    size: 1234,
    fileCount: 3,
    unpackedSize: 4567,
    publishedAt: T0,
    publishedBy,
    deprecated: null,
    logIndex: null,
    signatures: [],
    attestations: null,
    ...overrides,
  };
}

function tokenRecord(userId: number, id: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id,
    userId,
    hash: hex(`token:${id}`, 64),
    display: `bwk_${id.slice(0, 4)}…abcd`,
    name: null,
    readOnly: false,
    packages: [],
    scopes: [],
    cidrs: [],
    expiresAt: null,
    createdAt: T0,
    revokedAt: null,
    orgs: [],
    orgsPermission: 'none',
    bypass2fa: false,
    description: null,
    lastUsedAt: null,
    trustedPublisher: null,
    ...overrides,
  };
}

function webLogin(id: string, overrides: Partial<WebLoginRecord> = {}): WebLoginRecord {
  return {
    id,
    doneSecretHash: hex(`done:${id}`, 64),
    userId: null,
    createdAt: T0,
    expiresAt: at(10),
    consumedAt: null,
    ...overrides,
  };
}

function hasCode(code: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof RegistryError, `expected a RegistryError, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  };
}

const sorted = <T>(items: readonly T[], key: (item: T) => string): T[] => [...items].sort((a, b) => key(a).localeCompare(key(b)));

export function runMetadataStoreContract(name: string, open: () => Promise<MetadataStore>): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let store: MetadataStore;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('users', () => {
      test('insertUser returns the stored user and finds it by name and by id', async () => {
        const alice = await addUser(store, 'alice', { email: 'alice@example.org', isAdmin: true });
        assert.equal(typeof alice.id, 'number');
        assert.equal(alice.name, 'alice');
        assert.equal(alice.email, 'alice@example.org');
        assert.equal(alice.passwordHash, '$argon2id$v=19$fake$alice');
        assert.equal(alice.isAdmin, true);
        assert.ok(alice.createdAt instanceof Date && !Number.isNaN(alice.createdAt.getTime()));

        assert.deepEqual(await store.findUserByName('alice'), alice);
        assert.deepEqual(await store.findUserById(alice.id), alice);
      });

      test('users get distinct ids; a user without a password keeps a null hash', async () => {
        const a = await addUser(store, 'a-user');
        const b = await addUser(store, 'b-user', { passwordHash: null });
        assert.notEqual(a.id, b.id);
        assert.equal((await store.findUserById(b.id))?.passwordHash, null);
        assert.equal((await store.findUserById(b.id))?.isAdmin, false);
      });

      test('an unknown name or id finds nothing', async () => {
        const alice = await addUser(store, 'alice');
        assert.equal(await store.findUserByName('bob'), null);
        assert.equal(await store.findUserByName('ALICE'), null);
        assert.equal(await store.findUserById(alice.id + 1000), null);
      });

      test('inserting a taken name throws E_USER_EXISTS and leaves the first user as it was', async () => {
        const first = await addUser(store, 'alice', { email: 'first@example.com' });
        await assert.rejects(addUser(store, 'alice', { email: 'second@example.com' }), hasCode('E_USER_EXISTS'));
        assert.deepEqual(await store.findUserByName('alice'), first);
      });

      test('updateUserPassword replaces the hash of that user only', async () => {
        const alice = await addUser(store, 'alice');
        const bob = await addUser(store, 'bob');
        await store.updateUserPassword(alice.id, 'new-hash');
        assert.equal((await store.findUserById(alice.id))?.passwordHash, 'new-hash');
        assert.equal((await store.findUserById(bob.id))?.passwordHash, bob.passwordHash);
      });
    });

    describe('tokens', () => {
      test('insertToken stores every field and findTokenByHash returns it', async () => {
        const alice = await addUser(store, 'alice');
        const token = tokenRecord(alice.id, 'tok-1', {
          name: 'ci', readOnly: true, packages: ['foo', '@acme/bar'], scopes: ['@acme'], cidrs: ['10.0.0.0/8'], expiresAt: at(60),
          trustedPublisher: { provider: 'github', repository: 'acme/bar', workflow: 'release.yml', ref: 'refs/heads/main', environment: 'npm' },
        });
        await store.insertToken(token);
        assert.deepEqual(await store.findTokenByHash(token.hash), token);
        assert.equal(await store.findTokenByHash(hex('token:other', 64)), null);
      });

      test("listTokens returns the user's live tokens, not revoked ones and not other users'", async () => {
        const alice = await addUser(store, 'alice');
        const bob = await addUser(store, 'bob');
        await store.insertToken(tokenRecord(alice.id, 'a1', { createdAt: at(1) }));
        await store.insertToken(tokenRecord(alice.id, 'a2', { createdAt: at(2) }));
        await store.insertToken(tokenRecord(alice.id, 'a3', { createdAt: at(3) }));
        await store.insertToken(tokenRecord(bob.id, 'b1'));
        assert.equal(await store.revokeToken('a2', at(5)), true);

        assert.deepEqual(sorted(await store.listTokens(alice.id), (t) => t.id).map((t) => t.id), ['a1', 'a3']);
        assert.deepEqual((await store.listTokens(bob.id)).map((t) => t.id), ['b1']);
      });

      test('revokeToken marks the token once: true the first time, false after, revokedAt kept', async () => {
        const alice = await addUser(store, 'alice');
        const token = tokenRecord(alice.id, 'tok-1');
        await store.insertToken(token);
        assert.equal(await store.revokeToken('tok-1', at(5)), true);
        assert.equal(await store.revokeToken('tok-1', at(9)), false);
        const stored = await store.findTokenByHash(token.hash);
        assert.equal(stored?.revokedAt?.getTime(), at(5).getTime());
      });

      test('revoking an unknown token id returns false', async () => {
        assert.equal(await store.revokeToken('no-such-token', at(1)), false);
      });
    });

    describe('packages', () => {
      test('findPackage is null for an unknown package', async () => {
        assert.equal(await store.findPackage('nope'), null);
        assert.equal(await store.findPackageForUpdate('nope'), null);
      });

      test('savePackage stores every field; findPackage and findPackageForUpdate return it', async () => {
        const pkg = packageRecord('@acme/widget', { distTags: { latest: '1.0.0', beta: '2.0.0-beta.1' }, modifiedAt: at(3) });
        await store.savePackage(pkg);
        assert.deepEqual(await store.findPackage('@acme/widget'), pkg);
        assert.deepEqual(await store.findPackageForUpdate('@acme/widget'), pkg);
        assert.deepEqual(await store.transaction((tx) => tx.findPackageForUpdate('@acme/widget')), pkg);
      });

      test('savePackage on an existing name updates rev, modifiedAt, dist-tags and both documents', async () => {
        await store.savePackage(packageRecord('widget'));
        const next = packageRecord('widget', {
          rev: 2, modifiedAt: at(10), distTags: { latest: '1.1.0' }, fullDoc: '{"full":2}', abbrevDoc: '{"abbrev":2}',
        });
        await store.savePackage(next);
        const found = await store.findPackage('widget');
        assert.equal(found?.rev, 2);
        assert.equal(found?.modifiedAt.getTime(), at(10).getTime());
        assert.deepEqual(found?.distTags, { latest: '1.1.0' });
        assert.equal(found?.fullDoc, '{"full":2}');
        assert.equal(found?.abbrevDoc, '{"abbrev":2}');
        assert.equal(found?.createdAt.getTime(), T0.getTime());
      });

      test('package names are exact: no prefix or case-insensitive match', async () => {
        await store.savePackage(packageRecord('widget'));
        assert.equal(await store.findPackage('widge'), null);
        assert.equal(await store.findPackage('Widget'), null);
        assert.equal(await store.findPackage('widget-core'), null);
      });
    });

    describe('versions', () => {
      test('insertVersion stores every field and findVersion returns it', async () => {
        const alice = await addUser(store, 'alice');
        const v = versionRecord('widget', '1.0.0', alice.id, {
          deprecated: 'use 2', publishedAt: at(1), size: 98_765_432, signatures: [{ keyid: 'SHA256:k', sig: 'c2ln' }],
          attestations: {
            provenance: {
              predicateType: 'https://slsa.dev/provenance/v1', signerIdentity: null, issuer: null, sourceRepository: 'https://github.com/a/b', sourceCommit: null,
              sourceRef: null, workflowPath: null, buildTrigger: null, runnerEnvironment: null, buildRunUrl: null, transparencyLog: null,
            },
            verifiedAt: '2026-01-01T00:00:00.000Z',
            attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: { mediaType: 'm' } }],
          },
        });
        await store.insertVersion(v);
        assert.deepEqual(await store.findVersion('widget', '1.0.0'), v);
        assert.equal(await store.findVersion('widget', '1.0.1'), null);
        assert.equal(await store.findVersion('other', '1.0.0'), null);
      });

      test('inserting a (name, version) again throws E_VERSION_EXISTS and keeps the original', async () => {
        const alice = await addUser(store, 'alice');
        const original = versionRecord('widget', '1.0.0', alice.id);
        await store.insertVersion(original);
        const again = versionRecord('widget', '1.0.0', alice.id, { integrity: 'sha512-other', blobKey: hex('other', 128) });
        await assert.rejects(store.insertVersion(again), hasCode('E_VERSION_EXISTS'));
        assert.deepEqual(await store.findVersion('widget', '1.0.0'), original);
        assert.equal((await store.listVersions('widget')).length, 1);
      });

      test('the same version number in another package is a different version', async () => {
        const alice = await addUser(store, 'alice');
        await store.insertVersion(versionRecord('widget', '1.0.0', alice.id));
        await store.insertVersion(versionRecord('@acme/widget', '1.0.0', alice.id));
        assert.equal((await store.listVersions('@acme/widget')).length, 1);
      });

      test('listVersions returns the package\'s versions in publish order, not insert or semver order', async () => {
        const alice = await addUser(store, 'alice');
        // Inserted out of order; 1.0.1 is a backport published after 2.0.0.
        await store.insertVersion(versionRecord('widget', '1.0.1', alice.id, { publishedAt: at(30) }));
        await store.insertVersion(versionRecord('widget', '2.0.0', alice.id, { publishedAt: at(20) }));
        await store.insertVersion(versionRecord('widget', '1.0.0', alice.id, { publishedAt: at(10) }));
        await store.insertVersion(versionRecord('widget-extra', '0.1.0', alice.id, { publishedAt: at(15) }));
        assert.deepEqual((await store.listVersions('widget')).map((v) => v.version), ['1.0.0', '2.0.0', '1.0.1']);
        assert.deepEqual(await store.listVersions('unknown'), []);
      });

      test('setDeprecated sets and clears the message of one version only', async () => {
        const alice = await addUser(store, 'alice');
        await store.insertVersion(versionRecord('widget', '1.0.0', alice.id));
        await store.insertVersion(versionRecord('widget', '1.1.0', alice.id, { publishedAt: at(1) }));
        await store.setDeprecated('widget', '1.0.0', 'please upgrade');
        assert.equal((await store.findVersion('widget', '1.0.0'))?.deprecated, 'please upgrade');
        assert.equal((await store.findVersion('widget', '1.1.0'))?.deprecated, null);
        await store.setDeprecated('widget', '1.0.0', null);
        assert.equal((await store.findVersion('widget', '1.0.0'))?.deprecated, null);
      });

      test('countBlobReferences counts the versions that share a blob key', async () => {
        const alice = await addUser(store, 'alice');
        const shared = hex('shared-blob', 128);
        assert.equal(await store.countBlobReferences(shared), 0);
        await store.insertVersion(versionRecord('widget', '1.0.0', alice.id, { blobKey: shared }));
        assert.equal(await store.countBlobReferences(shared), 1);
        await store.insertVersion(versionRecord('gadget', '3.0.0', alice.id, { blobKey: shared }));
        await store.insertVersion(versionRecord('widget', '1.0.1', alice.id));
        assert.equal(await store.countBlobReferences(shared), 2);
      });
    });

    describe('maintainers and scopes', () => {
      test('addMaintainer lists the user with name and email; adding twice lists once', async () => {
        const alice = await addUser(store, 'alice', { email: 'alice@acme.test' });
        const bob = await addUser(store, 'bob', { email: 'bob@acme.test' });
        await store.addMaintainer('widget', alice.id);
        await store.addMaintainer('widget', bob.id);
        await store.addMaintainer('widget', alice.id);
        assert.deepEqual(sorted(await store.listMaintainers('widget'), (m) => m.name), [
          { userId: alice.id, name: 'alice', email: 'alice@acme.test' },
          { userId: bob.id, name: 'bob', email: 'bob@acme.test' },
        ]);
        assert.deepEqual(await store.listMaintainers('gadget'), []);
      });

      test('removeMaintainer removes that user from that package only', async () => {
        const alice = await addUser(store, 'alice');
        const bob = await addUser(store, 'bob');
        await store.addMaintainer('widget', alice.id);
        await store.addMaintainer('widget', bob.id);
        await store.addMaintainer('gadget', alice.id);
        await store.removeMaintainer('widget', alice.id);
        await store.removeMaintainer('widget', alice.id);
        assert.deepEqual((await store.listMaintainers('widget')).map((m) => m.name), ['bob']);
        assert.deepEqual((await store.listMaintainers('gadget')).map((m) => m.name), ['alice']);
      });

      test('claimScope: the first claim wins, later claims change nothing', async () => {
        const alice = await addUser(store, 'alice');
        const bob = await addUser(store, 'bob');
        assert.equal(await store.findScopeOwner('acme'), null);
        await store.claimScope('acme', alice.id);
        await store.claimScope('acme', bob.id);
        assert.equal(await store.findScopeOwner('acme'), alice.id);
        assert.equal(await store.findScopeOwner('acme2'), null);
      });
    });

    describe('stars', () => {
      test('setStar adds a star once, lists starrers by name and packages by user', async () => {
        const alice = await addUser(store, 'alice');
        const bob = await addUser(store, 'bob');
        await store.setStar('widget', alice.id, true);
        await store.setStar('widget', alice.id, true);
        await store.setStar('widget', bob.id, true);
        await store.setStar('gadget', alice.id, true);
        assert.deepEqual([...(await store.listStarrers('widget'))].sort(), ['alice', 'bob']);
        assert.deepEqual([...(await store.listStarredBy(alice.id))].sort(), ['gadget', 'widget']);
        assert.deepEqual(await store.listStarredBy(bob.id), ['widget']);
        assert.deepEqual(await store.listStarrers('unstarred'), []);
      });

      test('setStar(false) removes only that star, and unstarring again is harmless', async () => {
        const alice = await addUser(store, 'alice');
        const bob = await addUser(store, 'bob');
        await store.setStar('widget', alice.id, true);
        await store.setStar('widget', bob.id, true);
        await store.setStar('widget', alice.id, false);
        await store.setStar('widget', alice.id, false);
        assert.deepEqual(await store.listStarrers('widget'), ['bob']);
        assert.deepEqual(await store.listStarredBy(alice.id), []);
      });
    });

    describe('search', () => {
      async function seed(names: readonly string[]): Promise<void> {
        for (const [i, n] of names.entries()) await store.savePackage(packageRecord(n, { modifiedAt: at(i) }));
      }

      test('a term matches package names containing it, case-insensitively, with a total', async () => {
        await seed(['widget-core', 'fancy-widget', '@acme/widgets', 'gadget']);
        for (const text of ['widget', 'WIDGET', '  Widget  ']) {
          const { hits, total } = await store.searchPackages(text, 20, 0);
          assert.equal(total, 3, `total for ${JSON.stringify(text)}`);
          assert.deepEqual(hits.map((h) => h.name).sort(), ['@acme/widgets', 'fancy-widget', 'widget-core']);
        }
      });

      test('several terms must all match', async () => {
        await seed(['widget-core', 'widget-ui', 'core-utils']);
        const { hits, total } = await store.searchPackages('core widget', 20, 0);
        assert.equal(total, 1);
        assert.deepEqual(hits.map((h) => h.name), ['widget-core']);
      });

      test('a hit carries the full document and the modification time', async () => {
        const pkg = packageRecord('widget', { modifiedAt: at(42) });
        await store.savePackage(pkg);
        const { hits } = await store.searchPackages('widget', 20, 0);
        assert.equal(hits.length, 1);
        assert.equal(hits[0]!.fullDoc, pkg.fullDoc);
        assert.equal(hits[0]!.modifiedAt.getTime(), at(42).getTime());
      });

      test('size and from page through the matches; total counts all of them', async () => {
        const names = ['pager-a', 'pager-b', 'pager-c', 'pager-d', 'pager-e'];
        await seed([...names, 'unrelated']);
        const pages = [];
        for (const from of [0, 2, 4]) {
          const { hits, total } = await store.searchPackages('pager', 2, from);
          assert.equal(total, 5);
          pages.push(hits.map((h) => h.name));
        }
        assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
        const all = pages.flat();
        assert.equal(new Set(all).size, 5, 'pages overlap');
        assert.deepEqual([...all].sort(), names);
        const beyond = await store.searchPackages('pager', 2, 10);
        assert.deepEqual(beyond.hits, []);
        assert.equal(beyond.total, 5);
      });

      test('a term matches the description, and JSON keys of the documents match nothing', async () => {
        await store.savePackage(packageRecord('plain', { searchText: 'plain hello world utilities' }));
        assert.deepEqual((await store.searchPackages('hello', 20, 0)).hits.map((h) => h.name), ['plain']);
        for (const text of ['versions', 'dist', 'latest', 'modified']) {
          assert.equal((await store.searchPackages(text, 20, 0)).total, 0, `query ${text}`);
        }
      });

      test('names with "_", "%" or "\\" are found by their literal text', async () => {
        await seed(['foo_bar', 'foo-bar', 'per%cent']);
        assert.deepEqual((await store.searchPackages('foo_bar', 20, 0)).hits.map((h) => h.name), ['foo_bar']);
        assert.deepEqual((await store.searchPackages('per%cent', 20, 0)).hits.map((h) => h.name), ['per%cent']);
        await store.savePackage(packageRecord('slashy', { searchText: 'back\\slash' }));
        assert.deepEqual((await store.searchPackages('back\\slash', 20, 0)).hits.map((h) => h.name), ['slashy']);
      });

      test('no match gives no hits and a zero total', async () => {
        await seed(['widget']);
        assert.deepEqual(await store.searchPackages('zzzz-nothing', 20, 0), { hits: [], total: 0 });
      });

      test('LIKE wildcards in the query are literal: "%" and "_" match nothing by themselves', async () => {
        await seed(['wild-abc', 'wild-axc', 'wild-ac']);
        for (const text of ['%', 'a_c', 'a%c', 'w%d', 'wild_', 'wild%abc']) {
          const { hits, total } = await store.searchPackages(text, 20, 0);
          assert.deepEqual(hits.map((h) => h.name), [], `query ${JSON.stringify(text)}`);
          assert.equal(total, 0, `total for ${JSON.stringify(text)}`);
        }
      });
    });

    describe('web logins', () => {
      test('insertWebLogin stores the login; findWebLogin returns it', async () => {
        const login = webLogin('login-1');
        await store.insertWebLogin(login);
        assert.deepEqual(await store.findWebLogin('login-1'), login);
        assert.equal(await store.findWebLogin('login-2'), null);
      });

      test('completeWebLogin binds the first user only', async () => {
        const alice = await addUser(store, 'alice');
        const mallory = await addUser(store, 'mallory');
        await store.insertWebLogin(webLogin('login-1'));
        await store.completeWebLogin('login-1', alice.id);
        await store.completeWebLogin('login-1', mallory.id);
        assert.equal((await store.findWebLogin('login-1'))?.userId, alice.id);
      });

      test('consumeWebLogin succeeds once, records the time, and refuses after', async () => {
        const alice = await addUser(store, 'alice');
        await store.insertWebLogin(webLogin('login-1'));
        await store.insertWebLogin(webLogin('login-2'));
        await store.completeWebLogin('login-1', alice.id);
        assert.equal(await store.consumeWebLogin('login-1', at(2)), true);
        assert.equal(await store.consumeWebLogin('login-1', at(3)), false);
        assert.equal((await store.findWebLogin('login-1'))?.consumedAt?.getTime(), at(2).getTime());
        assert.equal((await store.findWebLogin('login-2'))?.consumedAt, null);
        assert.equal(await store.consumeWebLogin('no-such-login', at(3)), false);
      });
    });

    describe('transparency log (GEN-3b)', () => {
      const event = (name: string) => ({ type: 'dist-tag-removed' as const, name, tag: 'beta', actor: 'alice' });

      test('appends take consecutive indexes from 0 and list back in order with paging', async () => {
        for (let i = 0; i < 5; i++) {
          await store.transaction(async (tx) => {
            const index = await tx.allocateLogIndex();
            assert.equal(index, i);
            await tx.insertLogEntry({ index, time: T0.toISOString(), event: event(`p${i}`) }, [{ level: 0, index, hash: new Uint8Array(32).fill(i) }]);
          });
        }
        assert.equal(await store.logSize(), 5);
        const page = await store.listLogEntries(2, 2);
        assert.deepEqual(page.map((e) => [e.index, (e.event as { name?: string }).name]), [[2, 'p2'], [3, 'p3']]);
        assert.deepEqual(page[0]!.event, event('p2'));
        assert.deepEqual(await store.listLogEntries(5, 10), []);
        const hashes = await store.findLogHashes([{ level: 0, index: 3 }, { level: 0, index: 1 }, { level: 1, index: 0 }]);
        assert.deepEqual(hashes.map((h) => [h.level, h.index, h.hash[0]]).sort(), [[0, 1, 1], [0, 3, 3]], 'stored hashes are found, missing ones left out');
        const range = await store.listLogHashes(0, 1, 3);
        assert.deepEqual(range.map((h) => h[0]), [1, 2, 3], 'a range of one level, in index order');
        assert.deepEqual(await store.listLogHashes(1, 0, 5), [], 'nothing stored at level 1');
      });

      test('issued checkpoints: the latest by size; a second save of a size is ignored; notes can be updated', async () => {
        assert.equal(await store.findLatestCheckpoint(), null);
        await store.saveCheckpoint({ size: 3, note: 'three', issuedAt: T0 });
        await store.saveCheckpoint({ size: 7, note: 'seven', issuedAt: at(1) });
        await store.saveCheckpoint({ size: 7, note: 'other node', issuedAt: at(2) });
        const latest = await store.findLatestCheckpoint();
        assert.deepEqual({ ...latest, issuedAt: latest?.issuedAt.getTime() }, { size: 7, note: 'seven', issuedAt: at(1).getTime() });
        await store.updateCheckpointNote(7, 'seven, cosigned');
        assert.equal((await store.findLatestCheckpoint())?.note, 'seven, cosigned');
      });

      test('a rolled-back transaction leaves neither an entry nor a gap', async () => {
        await assert.rejects(store.transaction(async (tx) => {
          const index = await tx.allocateLogIndex();
          await tx.insertLogEntry({ index, time: T0.toISOString(), event: event('gone') }, [{ level: 0, index, hash: new Uint8Array(32) }]);
          throw new Error('abort');
        }), /abort/);
        assert.equal(await store.logSize(), 0);
        assert.deepEqual(await store.findLogHashes([{ level: 0, index: 0 }]), []);
        const index = await store.transaction((tx) => tx.allocateLogIndex());
        assert.equal(index, 0, 'the next append reuses the rolled-back index');
      });

      test('concurrent appends get distinct consecutive indexes', async () => {
        const indexes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.transaction(async (tx) => {
          const index = await tx.allocateLogIndex();
          await tx.insertLogEntry({ index, time: T0.toISOString(), event: event(`c${i}`) }, [{ level: 0, index, hash: new Uint8Array(32).fill(i) }]);
          return index;
        })));
        assert.deepEqual([...indexes].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert.equal((await store.listLogEntries(0, 100)).length, 10);
      });
    });

    describe('transactions', () => {
      test('a transaction commits its writes and returns the callback\'s value', async () => {
        const result = await store.transaction(async (tx) => {
          const alice = await addUser(tx, 'alice');
          await tx.savePackage(packageRecord('widget'));
          await tx.insertVersion(versionRecord('widget', '1.0.0', alice.id));
          assert.equal((await tx.findPackage('widget'))?.name, 'widget', 'a transaction sees its own writes');
          return alice.id;
        });
        assert.equal((await store.findUserByName('alice'))?.id, result);
        assert.notEqual(await store.findPackage('widget'), null);
        assert.notEqual(await store.findVersion('widget', '1.0.0'), null);
      });

      test('a throw inside transaction rolls back every write and rethrows the same error', async () => {
        const existing = await addUser(store, 'existing');
        await store.savePackage(packageRecord('widget'));
        await store.insertVersion(versionRecord('widget', '1.0.0', existing.id));
        await store.insertToken(tokenRecord(existing.id, 'kept-token'));
        const boom = new Error('boom');

        await assert.rejects(
          store.transaction(async (tx) => {
            const alice = await addUser(tx, 'alice');
            await tx.updateUserPassword(existing.id, 'changed-in-tx');
            await tx.insertToken(tokenRecord(alice.id, 'tx-token'));
            await tx.revokeToken('kept-token', at(1));
            await tx.savePackage(packageRecord('widget', { rev: 2, fullDoc: '{"changed":true}' }));
            await tx.savePackage(packageRecord('gadget'));
            await tx.insertVersion(versionRecord('widget', '1.1.0', alice.id));
            await tx.setDeprecated('widget', '1.0.0', 'deprecated in tx');
            await tx.addMaintainer('widget', alice.id);
            await tx.claimScope('acme', alice.id);
            await tx.setStar('widget', alice.id, true);
            await tx.insertWebLogin(webLogin('tx-login'));
            throw boom;
          }),
          (err) => err === boom,
        );

        assert.equal(await store.findUserByName('alice'), null);
        assert.equal((await store.findUserById(existing.id))?.passwordHash, existing.passwordHash);
        assert.equal(await store.findTokenByHash(hex('token:tx-token', 64)), null);
        assert.equal((await store.findTokenByHash(hex('token:kept-token', 64)))?.revokedAt, null);
        const widget = await store.findPackage('widget');
        assert.equal(widget?.rev, 1);
        assert.equal(widget?.fullDoc, packageRecord('widget').fullDoc);
        assert.equal(await store.findPackage('gadget'), null);
        assert.deepEqual((await store.listVersions('widget')).map((v) => v.version), ['1.0.0']);
        assert.equal((await store.findVersion('widget', '1.0.0'))?.deprecated, null);
        assert.deepEqual(await store.listMaintainers('widget'), []);
        assert.equal(await store.findScopeOwner('acme'), null);
        assert.deepEqual(await store.listStarrers('widget'), []);
        assert.equal(await store.findWebLogin('tx-login'), null);
      });

      test('a RegistryError thrown inside a transaction keeps its code and rolls back', async () => {
        const alice = await addUser(store, 'alice');
        await store.insertVersion(versionRecord('widget', '1.0.0', alice.id));
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.savePackage(packageRecord('widget'));
            await tx.insertVersion(versionRecord('widget', '1.0.0', alice.id));
          }),
          hasCode('E_VERSION_EXISTS'),
        );
        assert.equal(await store.findPackage('widget'), null);
      });

      test('concurrent transactions publishing the same version: exactly one succeeds', async () => {
        const alice = await addUser(store, 'alice');
        const attempts = [1, 2, 3, 4].map((n) =>
          store.transaction(async (tx) => {
            const current = await tx.findPackageForUpdate('race');
            await tx.insertVersion(versionRecord('race', '1.0.0', alice.id, { integrity: `sha512-attempt-${n}`, blobKey: hex(`attempt-${n}`, 128) }));
            await tx.savePackage(packageRecord('race', { rev: (current?.rev ?? 0) + 1, fullDoc: `{"attempt":${n}}` }));
            return n;
          }),
        );
        const results = await Promise.allSettled(attempts);
        const won = results.filter((r): r is PromiseFulfilledResult<number> => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1, 'exactly one transaction commits');
        for (const r of lost) hasCode('E_VERSION_EXISTS')(r.reason);

        const winner = won[0]!.value;
        const versions = await store.listVersions('race');
        assert.equal(versions.length, 1);
        assert.equal(versions[0]!.integrity, `sha512-attempt-${winner}`);
        const pkg = await store.findPackage('race');
        assert.equal(pkg?.rev, 1);
        assert.equal(pkg?.fullDoc, `{"attempt":${winner}}`);
      });
    });
  });
}
