import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createVerify, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishBody } from '@bulwark/testkit';
import { openStores, systemClock, type Stores } from '../../src/main.js';
import { Accounts } from '../../src/services/accounts.js';
import { ChangeFeed } from '../../src/services/change-feed.js';
import { PublishVersion } from '../../src/services/publish-version.js';
import { RegistrySigning, unsealPrivateKey } from '../../src/services/registry-signing.js';
import { spkiPem } from '../../src/domain/registry-key-id.js';

describe('AUTHZ-3c: registry signing keys', () => {
  let dir: string;
  let stores: Stores;
  const kek = randomBytes(32);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-signing-'));
    stores = await openStores({ dataDir: dir });
  });
  after(async () => {
    await stores.metadata.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('AUTHZ-3c: the private key is sealed at rest: the database holds no key material, a wrong key-encryption key cannot open it', async () => {
    const signing = new RegistrySigning({ store: stores.provenance, kek, clock: systemClock });
    await signing.init();
    const [stored] = await stores.provenance.listSigningKeys();
    assert.ok(stored);
    assert.match(stored.sealedPrivateKey, /^v1\./);
    const pkcs8 = unsealPrivateKey(kek, stored.keyid, stored.sealedPrivateKey).export({ format: 'der', type: 'pkcs8' });
    const dbBytes = await readFile(join(dir, 'registry.sqlite'));
    assert.equal(dbBytes.indexOf(pkcs8.subarray(-32)), -1, 'the raw private scalar is not in the database file');
    assert.throws(() => unsealPrivateKey(randomBytes(32), stored.keyid, stored.sealedPrivateKey), /wrong key-encryption key/);
    // The key id is bound as associated data: a sealed key moved under another id does not open.
    assert.throws(() => unsealPrivateKey(kek, 'SHA256:other', stored.sealedPrivateKey), /wrong key-encryption key/);
    const again = new RegistrySigning({ store: stores.provenance, kek, clock: systemClock });
    await again.init();
    assert.equal(again.activeKeyId, signing.activeKeyId, 'a restart keeps the key');
  });

  test('AUTHZ-3c: versions published before signing existed are signed by the start-up backfill and the documents rewritten', async () => {
    const accounts = new Accounts({ store: stores.metadata, clock: systemClock, registration: 'closed' });
    const user = await accounts.createUser({ name: 'old', email: 'old@example.com', password: 'old-password-123', isAdmin: false });
    // A publisher without the provenance service: what versions from before this feature look like.
    const legacy = new PublishVersion({ store: stores.metadata, blobs: stores.blobs, clock: systemClock, feed: new ChangeFeed(), limits: { tarballBytes: 1 << 20, unpackedBytes: 1 << 24, tarEntries: 1000 } });
    const { body, integrity } = publishBody({ name: 'legacy-pkg', version: '1.0.0' });
    await legacy.publish({ kind: 'user', user: { id: user.id, name: user.name, email: user.email, isAdmin: false }, via: 'operator' }, 'legacy-pkg', body);
    assert.deepEqual((await stores.metadata.findVersion('legacy-pkg', '1.0.0'))!.signatures, []);

    const signing = new RegistrySigning({ store: stores.provenance, kek, clock: systemClock });
    await signing.init();
    assert.equal(await signing.backfill(stores.metadata), 1);
    assert.equal(await signing.backfill(stores.metadata), 0, 'idempotent');
    const doc = JSON.parse((await stores.metadata.findPackage('legacy-pkg'))!.fullDoc);
    const [sig] = doc.versions['1.0.0'].dist.signatures;
    const key = signing.publicKeys().find((k) => k.keyid === sig.keyid)!;
    assert.ok(createVerify('SHA256').update(`legacy-pkg@1.0.0:${integrity}`).verify(spkiPem(key.key), sig.sig, 'base64'));
  });

  test('AUTHZ-3c: rotation keeps the old key listed with expires and signs new versions with the new key', async () => {
    const signing = new RegistrySigning({ store: stores.provenance, kek, clock: systemClock });
    await signing.init();
    const old = signing.activeKeyId;
    const { keyid } = await signing.rotate(7);
    assert.notEqual(keyid, old);
    assert.equal(signing.activeKeyId, keyid);
    const keys = signing.publicKeys();
    const expires = Date.parse(keys.find((k) => k.keyid === old)!.expires!);
    assert.ok(expires > Date.now() + 6 * 86_400_000 && expires <= Date.now() + 7 * 86_400_000);
    assert.equal(keys.find((k) => k.keyid === keyid)!.expires, null);
    assert.equal(signing.signVersion('a', '1.0.0', 'sha512-x').keyid, keyid);
    await signing.backfill(stores.metadata);
    const sigs = (await stores.metadata.findVersion('legacy-pkg', '1.0.0'))!.signatures!.map((s) => s.keyid).sort();
    assert.deepEqual(sigs, [keyid, old].sort(), 'old signature kept, new one added');
  });
});
