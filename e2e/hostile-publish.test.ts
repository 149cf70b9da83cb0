// Hostile publish bodies against a real registry (HTTP level). Each must get a clear 4xx with a
// JSON `error`, and nothing may be stored: no packument, no new blob files.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  getPackument, integrityOf, listBlobFiles, packageTarball, publishBody, putPackage, request, sha1Hex,
  type PublishBodyOptions,
} from '@bulwark/testkit';
import { seed, startRegistry, type TestRegistry } from './support.js';

const BODY_LIMIT = 200_000;

describe('hostile publishes: a clear error and nothing stored', () => {
  let env: TestRegistry;
  let token: string;

  before(async () => {
    env = await startRegistry(['alice', 'bob'], { config: { limits: { bodyBytes: BODY_LIMIT } } });
    token = env.users.alice!.token;
  });

  after(async () => {
    await env?.close();
  });

  /** Asserts a 4xx with a JSON error (naming `code`, the documented error code), nothing stored, server alive. */
  async function expectRejected(name: string, send: () => Promise<{ status: number; text: string; json: unknown }>, code: string, statuses: number[] = []): Promise<string> {
    const blobsBefore = await listBlobFiles(env.reg.dataDir);
    const res = await send();
    assert.ok(res.status >= 400 && res.status < 500, `expected a 4xx, got ${res.status} ${res.text.slice(0, 300)}`);
    if (statuses.length) assert.ok(statuses.includes(res.status), `expected one of ${statuses.join('/')}, got ${res.status} ${res.text.slice(0, 300)}`);
    const error = (res.json as { error?: unknown } | undefined)?.error;
    assert.ok(typeof error === 'string' && error.length > 0, `the body has a JSON error field: ${res.text.slice(0, 300)}`);
    const sentCode = (res.json as { code?: unknown }).code;
    assert.ok(sentCode === code || error.includes(code), `the error is ${code}: ${res.text.slice(0, 300)}`);
    const doc = await getPackument(env.reg.url, name);
    assert.equal(doc.status, 404, `nothing was stored for ${name}: GET -> ${doc.status} ${doc.text.slice(0, 200)}`);
    assert.deepEqual(await listBlobFiles(env.reg.dataDir), blobsBefore, 'no new blob files');
    const ping = await request(env.reg.urlOf('-/ping'));
    assert.equal(ping.status, 200, 'the registry still answers');
    return error;
  }

  function publishWith(o: PublishBodyOptions) {
    const p = publishBody({ registryUrl: env.reg.url, ...o });
    return () => putPackage(env.reg.url, o.name, p.body, token);
  }

  test('hostile: wrong integrity', async () => {
    const name = 'hostile-integrity';
    const error = await expectRejected(name, publishWith({ name, version: '1.0.0', integrity: integrityOf(Buffer.from('something else')) }), 'E_INTEGRITY_MISMATCH', [400]);
    assert.match(error, /integrity|sha512|checksum|E_INTEGRITY/i);
  });

  test('hostile: wrong shasum', async () => {
    const name = 'hostile-shasum';
    await expectRejected(name, publishWith({ name, version: '1.0.0', shasum: sha1Hex(Buffer.from('something else')) }), 'E_INTEGRITY_MISMATCH', [400]);
  });

  test('hostile: attachment length does not match the data', async () => {
    const name = 'hostile-length';
    const tarball = packageTarball({ name, version: '1.0.0' });
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball, length: tarball.length + 100 }), 'E_INTEGRITY_MISMATCH', [400]);
  });

  test('hostile: package.json inside the tarball names another package', async () => {
    const name = 'hostile-name-mismatch';
    const tarball = packageTarball({ name, version: '1.0.0', tarballPackageJson: { name: 'some-other-package', version: '1.0.0' } });
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball }), 'E_MANIFEST_MISMATCH', [400]);
  });

  test('hostile: package.json inside the tarball has another version', async () => {
    const name = 'hostile-version-mismatch';
    const tarball = packageTarball({ name, version: '1.0.0', tarballPackageJson: { name, version: '9.9.9' } });
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball }), 'E_MANIFEST_MISMATCH', [400]);
  });

  test('hostile: tarball entry with ../ segments', async () => {
    const name = 'hostile-dotdot';
    const tarball = packageTarball({ name, version: '1.0.0', extraEntries: [{ path: 'package/../../../tmp/bulwark-escape.js', content: 'owned' }] });
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball }), 'E_TARBALL_UNSAFE', [400]);
  });

  test('hostile: tarball entry starting with ../', async () => {
    const name = 'hostile-dotdot-lead';
    const tarball = packageTarball({ name, version: '1.0.0', extraEntries: [{ path: '../evil.js', content: 'owned' }] });
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball }), 'E_TARBALL_UNSAFE', [400]);
  });

  test('hostile: tarball entry with an absolute path', async () => {
    const name = 'hostile-absolute';
    const tarball = packageTarball({ name, version: '1.0.0', extraEntries: [{ path: '/tmp/bulwark-absolute.js', content: 'owned' }] });
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball }), 'E_TARBALL_UNSAFE', [400]);
  });

  test('hostile: tarball with a symlink entry', async () => {
    const name = 'hostile-symlink';
    const tarball = packageTarball({ name, version: '1.0.0', extraEntries: [{ path: 'package/passwd', type: 'symlink', linkname: '/etc/passwd' }] });
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball }), 'E_TARBALL_UNSAFE', [400]);
  });

  test('hostile: tarball with a hardlink entry', async () => {
    const name = 'hostile-hardlink';
    const tarball = packageTarball({ name, version: '1.0.0', extraEntries: [{ path: 'package/passwd', type: 'hardlink', linkname: '/etc/passwd' }] });
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball }), 'E_TARBALL_UNSAFE', [400]);
  });

  test('hostile: attachment that is not a gzip tarball', async () => {
    const name = 'hostile-not-gzip';
    await expectRejected(name, publishWith({ name, version: '1.0.0', tarball: Buffer.from('this is not a tarball at all') }), 'E_TARBALL_INVALID', [400]);
  });

  test(`hostile: body over the configured limit (${BODY_LIMIT} bytes) gets 413`, async () => {
    const name = 'hostile-too-big';
    const tarball = packageTarball({ name, version: '1.0.0', files: { 'blob.bin': randomBytes(BODY_LIMIT) } });
    const p = publishBody({ name, version: '1.0.0', tarball, registryUrl: env.reg.url });
    const raw = JSON.stringify(p.body);
    assert.ok(raw.length > BODY_LIMIT);
    await expectRejected(name, () => putPackage(env.reg.url, name, raw, token), 'E_BODY_TOO_LARGE', [413]);
  });

  test('hostile: malformed JSON gets 400', async () => {
    const name = 'hostile-malformed';
    const p = publishBody({ name, version: '1.0.0', registryUrl: env.reg.url });
    const raw = JSON.stringify(p.body).slice(0, -20);
    await expectRejected(name, () => putPackage(env.reg.url, name, raw, token), 'E_INVALID_JSON', [400]);
  });

  test('hostile: body name differs from the URL name', async () => {
    const name = 'hostile-url-mismatch';
    const p = publishBody({ name: 'hostile-other-name', version: '1.0.0', registryUrl: env.reg.url });
    await expectRejected(name, () => putPackage(env.reg.url, name, p.body, token), 'E_INVALID_PACKAGE', [400]);
    assert.equal((await getPackument(env.reg.url, 'hostile-other-name')).status, 404);
  });

  test('hostile: a user who does not own @scope/p cannot publish a new version of it (403)', async () => {
    const name = '@hostile/p';
    const first = await seed(env.reg, token, { name, version: '1.0.0', access: 'public' });
    const before = await getPackument(env.reg.url, name);
    assert.equal(before.status, 200);
    const blobsBefore = await listBlobFiles(env.reg.dataDir);
    const p = publishBody({ name, version: '1.0.1', registryUrl: env.reg.url });
    const res = await putPackage(env.reg.url, name, p.body, env.users.bob!.token);
    assert.equal(res.status, 403, `bob is refused: ${res.status} ${res.text}`);
    assert.match(res.text, /E_NOT_OWNER|E_FORBIDDEN/);
    assert.ok(typeof res.json?.error === 'string' && res.json.error.length > 0, `JSON error: ${res.text}`);
    const after = await getPackument(env.reg.url, name);
    assert.deepEqual(Object.keys(after.json!.versions), ['1.0.0'], 'no new version');
    assert.equal(after.json!['dist-tags'].latest, '1.0.0');
    assert.equal(after.json!.versions['1.0.0']!.dist.integrity, first.integrity);
    assert.deepEqual(await listBlobFiles(env.reg.dataDir), blobsBefore, 'no new blob files');
    const tgz = await request(env.reg.urlOf(`${name}/-/p-1.0.1.tgz`));
    assert.equal(tgz.status, 404);
  });
});
