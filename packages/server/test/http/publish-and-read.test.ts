import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { listBlobFiles, packageTarball, publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

describe('publish and read through HTTP', () => {
  let reg: InProcessRegistry;
  let alice: string;
  let bob: string;

  before(async () => {
    reg = await inProcessRegistry();
    alice = await reg.user('alice');
    bob = await reg.user('bob');
  });
  after(() => reg.close());

  async function publish(token: string, body: Record<string, unknown>, name = String(body.name)) {
    return reg.app.inject({ method: 'PUT', url: `/${name.replace('/', '%2f')}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  }

  test('a publish stores the tarball bytes and serves full and abbreviated documents', async () => {
    const { body, tarball, integrity } = publishBody({ name: 'left-pad-bw', version: '1.0.0', dependencies: { 'dep-a': '^1.0.0' } });
    const res = await publish(alice, body);
    assert.equal(res.statusCode, 201, res.body);

    const full = await reg.app.inject({ url: '/left-pad-bw', headers: { accept: 'application/json', host: 'reg.test:4873' } });
    assert.equal(full.statusCode, 200);
    const doc = full.json();
    assert.match(doc._rev, /^\d+-[0-9a-f]{8}$/);
    assert.equal(doc['dist-tags'].latest, '1.0.0');
    assert.equal(doc.versions['1.0.0'].dist.integrity, integrity);
    assert.equal(doc.versions['1.0.0'].dist.tarball, 'http://reg.test:4873/left-pad-bw/-/left-pad-bw-1.0.0.tgz');
    assert.deepEqual(doc.maintainers, [{ name: 'alice', email: 'alice@example.com' }]);
    assert.deepEqual(doc.versions['1.0.0']._npmUser, { name: 'alice', email: 'alice@example.com' });
    assert.ok(doc.time['1.0.0'] && doc.time.created && doc.time.modified);
    assert.equal(full.headers.vary, 'Accept, Accept-Encoding');
    assert.ok(full.headers.etag);

    const corgi = await reg.app.inject({ url: '/left-pad-bw', headers: { accept: CORGI } });
    const abbrev = corgi.json();
    assert.match(String(corgi.headers['content-type']), /application\/vnd\.npm\.install-v1\+json/);
    assert.deepEqual(Object.keys(abbrev).sort(), ['dist-tags', 'modified', 'name', 'versions']);
    assert.deepEqual(abbrev.versions['1.0.0'].dependencies, { 'dep-a': '^1.0.0' });
    assert.equal(abbrev.versions['1.0.0']._npmUser, undefined);
    assert.notEqual(corgi.headers.etag, full.headers.etag);

    const tgz = await reg.app.inject({ url: '/left-pad-bw/-/left-pad-bw-1.0.0.tgz' });
    assert.equal(tgz.statusCode, 200);
    assert.deepEqual(tgz.rawPayload, tarball);
    assert.match(String(tgz.headers['cache-control']), /immutable/);
  });

  test('conditional GET answers 304 and gzip is served to clients that accept it', async () => {
    const first = await reg.app.inject({ url: '/left-pad-bw', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(first.headers['content-encoding'], 'gzip');
    const doc = JSON.parse(gunzipSync(first.rawPayload).toString('utf8'));
    assert.equal(doc.name, 'left-pad-bw');
    const again = await reg.app.inject({ url: '/left-pad-bw', headers: { 'if-none-match': String(first.headers.etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  test('publishing an existing version again is refused with E_VERSION_EXISTS, whatever the content', async () => {
    const { body } = publishBody({ name: 'left-pad-bw', version: '1.0.0', description: 'different bytes' });
    const blobsBefore = await listBlobFiles(reg.dataDir);
    const res = await publish(alice, body);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'E_VERSION_EXISTS');
    assert.match(res.json().error, /cannot publish over/);
    assert.deepEqual(await listBlobFiles(reg.dataDir), blobsBefore);
  });

  test('a non-maintainer cannot publish a new version (E_NOT_OWNER)', async () => {
    const { body } = publishBody({ name: 'left-pad-bw', version: '1.0.1' });
    const res = await publish(bob, body);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'E_NOT_OWNER');
  });

  test('anonymous publish is refused with E_AUTH_REQUIRED and an unknown token with E_TOKEN_INVALID', async () => {
    const { body } = publishBody({ name: 'anon-bw', version: '1.0.0' });
    const anon = await reg.app.inject({ method: 'PUT', url: '/anon-bw', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().code, 'E_AUTH_REQUIRED');
    const forged = await publish('bwk_000000000000000000000000000000000000AAAAAA', body);
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.json().code, 'E_TOKEN_INVALID');
    assert.equal((await reg.app.inject({ url: '/anon-bw' })).statusCode, 404);
  });

  test('manifest confusion: dependencies that differ from the tarball package.json are refused', async () => {
    const tarball = packageTarball({ name: 'confused-bw', version: '1.0.0', dependencies: { evil: '1.0.0' } });
    const { body } = publishBody({ name: 'confused-bw', version: '1.0.0', dependencies: { innocent: '1.0.0' }, tarball });
    const res = await publish(alice, body);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'E_MANIFEST_MISMATCH');
    assert.equal((await reg.app.inject({ url: '/confused-bw' })).statusCode, 404);
  });

  test('install scripts in the tarball are flagged hasInstallScript even if the manifest omits them', async () => {
    const spec = { name: 'scripted-bw', version: '1.0.0', packageJson: { scripts: { postinstall: 'node x.js' } } };
    const tarball = packageTarball(spec);
    const { body } = publishBody({ name: 'scripted-bw', version: '1.0.0', tarball });
    const res = await publish(alice, body);
    assert.equal(res.statusCode, 201, res.body);
    const corgi = (await reg.app.inject({ url: '/scripted-bw', headers: { accept: CORGI } })).json();
    assert.equal(corgi.versions['1.0.0'].hasInstallScript, true);
  });

  test('scoped packages: the scope belongs to its first publisher', async () => {
    const first = await publish(alice, publishBody({ name: '@team/one', version: '1.0.0' }).body);
    assert.equal(first.statusCode, 201, first.body);
    const intruder = await publish(bob, publishBody({ name: '@team/two', version: '1.0.0' }).body);
    assert.equal(intruder.statusCode, 403);
    assert.equal(intruder.json().code, 'E_NOT_OWNER');
    const literal = await reg.app.inject({ url: '/@team/one' });
    const encoded = await reg.app.inject({ url: '/@team%2Fone' });
    assert.equal(literal.statusCode, 200);
    assert.equal(encoded.json().name, '@team/one');
    const tgz = await reg.app.inject({ url: '/@team/one/-/one-1.0.0.tgz' });
    assert.equal(tgz.statusCode, 200);
  });

  test('AUTHZ-1a: a token scoped to one package cannot publish another; a read-only token cannot publish', async () => {
    const scoped = await reg.user('alice', { token: { packages: ['left-pad-bw'] } });
    const other = await publish(scoped, publishBody({ name: 'other-bw', version: '1.0.0' }).body);
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 'E_TOKEN_SCOPE');
    const allowed = await publish(scoped, publishBody({ name: 'left-pad-bw', version: '1.1.0' }).body);
    assert.equal(allowed.statusCode, 201, allowed.body);
    const readOnly = await reg.user('alice', { token: { readOnly: true } });
    const refused = await publish(readOnly, publishBody({ name: 'left-pad-bw', version: '1.2.0' }).body);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'E_TOKEN_SCOPE');
  });

  test('an expired token is refused on the next request', async () => {
    const expired = await reg.user('alice', { token: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await reg.app.inject({ url: '/-/whoami', headers: bearer(expired) });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'E_TOKEN_INVALID');
  });

  test('dist-tags: add, list and remove; tags that look like versions are refused', async () => {
    const put = await reg.app.inject({ method: 'PUT', url: '/-/package/left-pad-bw/dist-tags/beta', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: '"1.0.0"' });
    assert.equal(put.statusCode, 201, put.body);
    assert.deepEqual((await reg.app.inject({ url: '/-/package/left-pad-bw/dist-tags' })).json(), { latest: '1.1.0', beta: '1.0.0' });
    const bad = await reg.app.inject({ method: 'PUT', url: '/-/package/left-pad-bw/dist-tags/1.x', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: '"1.0.0"' });
    assert.equal(bad.statusCode, 400);
    const byBob = await reg.app.inject({ method: 'DELETE', url: '/-/package/left-pad-bw/dist-tags/beta', headers: bearer(bob) });
    assert.equal(byBob.statusCode, 403);
    const del = await reg.app.inject({ method: 'DELETE', url: '/-/package/left-pad-bw/dist-tags/beta', headers: bearer(alice) });
    assert.equal(del.statusCode, 200);
    assert.deepEqual((await reg.app.inject({ url: '/-/package/left-pad-bw/dist-tags' })).json(), { latest: '1.1.0' });
  });

  test('GEN-2a: a stale _rev on an unpublish is a conflict and nothing is removed', async () => {
    const doc = (await reg.app.inject({ url: '/left-pad-bw?write=true' })).json();
    delete doc.versions['1.0.0'];
    const put = await reg.app.inject({ method: 'PUT', url: '/left-pad-bw/-rev/1-00000000', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: JSON.stringify(doc) });
    assert.equal(put.statusCode, 409);
    assert.equal(put.json().code, 'E_REV_CONFLICT');
    const del = await reg.app.inject({ method: 'DELETE', url: '/left-pad-bw/-rev/1-00000000', headers: bearer(alice) });
    assert.equal(del.json().code, 'E_REV_CONFLICT');
    const byBob = await reg.app.inject({ method: 'DELETE', url: `/left-pad-bw/-rev/${doc._rev}`, headers: bearer(bob) });
    assert.equal(byBob.json().code, 'E_NOT_OWNER');
    assert.equal((await reg.app.inject({ url: '/left-pad-bw/-/left-pad-bw-1.0.0.tgz' })).statusCode, 200);
  });

  test('a stale _rev is a conflict', async () => {
    const res = await reg.app.inject({ method: 'PUT', url: '/left-pad-bw/-rev/1-00000000', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: JSON.stringify({ _id: 'left-pad-bw', maintainers: [{ name: 'alice' }, { name: 'bob' }] }) });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'E_REV_CONFLICT');
  });

  test('hostile requests: malformed JSON, prototype pollution, bad Host, bad percent-encoding', async () => {
    const malformed = await reg.app.inject({ method: 'PUT', url: '/x-bw', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: '{"name":' });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().code, 'E_INVALID_JSON');
    const proto = await reg.app.inject({ method: 'PUT', url: '/x-bw', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: '{"__proto__":{"admin":true}}' });
    assert.equal(proto.statusCode, 400);
    const host = await reg.app.inject({ url: '/left-pad-bw', headers: { host: 'evil.test/"><script>' } });
    assert.equal(host.statusCode, 400);
    const pct = await reg.app.inject({ url: '/%E0%A4%A' });
    assert.equal(pct.statusCode, 400);
    const odd = await reg.app.inject({ method: 'PUT', url: '/%D0%B0pple', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: JSON.stringify(publishBody({ name: 'apple', version: '1.0.0' }).body) });
    assert.equal(odd.statusCode, 400);
    assert.equal(odd.json().code, 'E_INVALID_NAME');
  });

  test('search finds packages by name and returns maintainers', async () => {
    const res = await reg.app.inject({ url: '/-/v1/search?text=left-pad&size=5' });
    const body = res.json();
    assert.equal(body.objects[0].package.name, 'left-pad-bw');
    assert.deepEqual(body.objects[0].package.maintainers, [{ username: 'alice', email: 'alice@example.com' }]);
    const none = await reg.app.inject({ url: '/-/v1/search?text=%25%25' });
    assert.equal(none.json().total, 0);
  });

  test('metrics are exposed in Prometheus format', async () => {
    const res = await reg.app.inject({ url: '/-/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^# HELP bulwark_http_requests_total/m);
    assert.match(res.body, /bulwark_http_requests_total\{method="PUT",status="2xx"\} \d+/);
  });
});
