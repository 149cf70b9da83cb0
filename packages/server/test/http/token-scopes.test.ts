// AUTHZ-1a / AUTHZ-1b: what a token may do, decided on every request: package lists and
// patterns, read-only, CIDR allow-lists, expiry and revocation; `npm token` endpoints.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';
import { isWellFormedToken } from '../../src/domain/token-format.js';

describe('token scopes (AUTHZ-1a)', () => {
  let reg: InProcessRegistry;
  let full: string;
  let seq = 0;

  const publish = (token: string, name: string, remoteAddress = '127.0.0.1') =>
    reg.app.inject({
      method: 'PUT', url: `/${name.replace('/', '%2f')}`, remoteAddress,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: JSON.stringify(publishBody({ name, version: `1.0.${seq++}` }).body),
    });
  const createToken = (token: string, body: Record<string, unknown>) =>
    reg.app.inject({ method: 'POST', url: '/-/npm/v1/tokens', headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify({ password: 'tok-password-123', ...body }) });

  before(async () => {
    reg = await inProcessRegistry();
    full = await reg.user('tok', { password: 'tok-password-123' });
    for (const name of ['pkg-a', 'pkg-b']) assert.equal((await publish(full, name)).statusCode, 201);
  });
  after(() => reg.close());

  test('AUTHZ-1b: npm token create returns a prefixed, checksummed token that is stored only as a hash', async () => {
    const res = await createToken(full, { name: 'ci', packages: ['pkg-a'], packages_and_scopes_permission: 'read-write' });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.ok(isWellFormedToken(body.token));
    assert.equal(body.packages[0], 'pkg-a');
    assert.ok(!body.token.includes('…'));
    const rows = await reg.stores.metadata.listTokens((await reg.stores.metadata.findUserByName('tok'))!.id);
    assert.ok(rows.every((r) => r.hash !== body.token && !JSON.stringify(r).includes(body.token)));
  });

  test('AUTHZ-1a: a token for package A publishes A but not B, and cannot manage owners', async () => {
    const scoped = (await createToken(full, { packages: ['pkg-a'], packages_and_scopes_permission: 'read-write' })).json().token;
    assert.equal((await publish(scoped, 'pkg-a')).statusCode, 201);
    const other = await publish(scoped, 'pkg-b');
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 'E_TOKEN_SCOPE');
    const doc = (await reg.app.inject({ url: '/pkg-a?write=true', headers: bearer(full) })).json();
    await reg.user('someone');
    const owners = await reg.app.inject({
      method: 'PUT', url: `/pkg-a/-rev/${doc._rev}`, headers: { ...bearer(scoped), 'content-type': 'application/json' },
      payload: JSON.stringify({ _id: 'pkg-a', _rev: doc._rev, maintainers: [...doc.maintainers, { name: 'someone' }] }),
    });
    assert.equal(owners.statusCode, 403);
    assert.equal(owners.json().code, 'E_TOKEN_SCOPE');
  });

  test('AUTHZ-1a: a pattern token covers matching names only', async () => {
    const pattern = (await createToken(full, { packages: ['pkg-*'], packages_and_scopes_permission: 'read-write' })).json().token;
    assert.equal((await publish(pattern, 'pkg-b')).statusCode, 201);
    assert.equal((await publish(pattern, 'other-pkg')).statusCode, 403);
  });

  test('AUTHZ-1a: a read-only token cannot publish', async () => {
    const ro = (await createToken(full, { packages_and_scopes_permission: 'read-only' })).json().token;
    const res = await publish(ro, 'pkg-a');
    assert.equal(res.statusCode, 403);
    assert.match(res.json().error, /read-only/);
  });

  test('AUTHZ-1a: a token used from outside its CIDR allow-list is refused', async () => {
    const cidr = (await createToken(full, { cidr_whitelist: ['10.20.0.0/16'] })).json().token;
    assert.equal((await publish(cidr, 'pkg-a', '10.20.3.4')).statusCode, 201);
    const outside = await publish(cidr, 'pkg-a', '192.0.2.7');
    assert.equal(outside.statusCode, 403);
    assert.match(outside.json().error, /may not be used from 192\.0\.2\.7/);
    // Also once cached: the address is checked on every request, not only on the first.
    assert.equal((await publish(cidr, 'pkg-a', '192.0.2.8')).statusCode, 403);
  });

  test('AUTHZ-1a: an expired token is refused on its next request', async () => {
    const user = (await reg.stores.metadata.findUserByName('tok'))!;
    const { Accounts } = await import('../../src/services/accounts.js');
    let now = new Date();
    const accounts = new Accounts({ store: reg.stores.metadata, clock: { now: () => now }, registration: 'closed' });
    const issued = await accounts.issueToken(user.id, { expiresAt: new Date(now.getTime() + 60_000) });
    assert.equal((await accounts.authenticateToken(issued.token)).kind, 'user');
    now = new Date(now.getTime() + 61_000);
    await assert.rejects(accounts.authenticateToken(issued.token), /expired/);
  });

  test('AUTHZ-1a: npm token revoke by key: the next request with it is refused', async () => {
    const created = (await createToken(full, { name: 'to-revoke' })).json();
    assert.equal((await reg.app.inject({ url: '/-/whoami', headers: bearer(created.token) })).statusCode, 200);
    const list = (await reg.app.inject({ url: '/-/npm/v1/tokens', headers: bearer(full) })).json();
    assert.deepEqual(list.urls, { next: null });
    assert.ok(list.objects.some((o: { key: string }) => o.key === created.key));
    const del = await reg.app.inject({ method: 'DELETE', url: `/-/npm/v1/tokens/token/${created.key}`, headers: bearer(full) });
    assert.equal(del.statusCode, 204);
    assert.equal((await reg.app.inject({ url: '/-/whoami', headers: bearer(created.token) })).statusCode, 401);
  });

  test('AUTHZ-1a: a granular token cannot mint tokens; a wrong password cannot either', async () => {
    const scoped = (await createToken(full, { packages: ['pkg-a'], packages_and_scopes_permission: 'read-write' })).json().token;
    assert.equal((await createToken(scoped, {})).statusCode, 403);
    assert.equal((await createToken(full, { password: 'wrong-password-000' })).statusCode, 401);
    const bad = await createToken(full, { cidr_whitelist: ['not-a-cidr'] });
    assert.equal(bad.statusCode, 400);
  });
});
