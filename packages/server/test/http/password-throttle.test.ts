import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inProcessRegistry, type InProcessRegistry } from './harness.js';

const LIMIT = 3;

function couchLogin(reg: InProcessRegistry, name: string, password: string, ip: string) {
  return reg.app.inject({
    method: 'PUT', url: `/-/user/org.couchdb.user:${name}`, remoteAddress: ip,
    payload: { _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() },
  });
}

function basicWhoami(reg: InProcessRegistry, name: string, password: string, ip: string) {
  return reg.app.inject({ method: 'GET', url: '/-/whoami', remoteAddress: ip, headers: { authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` } });
}

describe('brute force on the password paths over HTTP (AUTHN-1e)', () => {
  let reg: InProcessRegistry;
  before(async () => {
    reg = await inProcessRegistry({ auth: { throttle: { passwordPerAccount: LIMIT, passwordPerIp: 100 }, domainCheck: { enabled: false } } });
    await reg.user('alice', { password: 'alice-password-123' });
    await reg.user('carol', { password: 'carol-password-123' });
    await reg.user('dave', { password: 'dave-password-123' });
  });
  after(() => reg.close());

  test('AUTHN-1e: the legacy couch login locks after the limit with 429 and Retry-After, even for the right password', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const wrong = await couchLogin(reg, 'alice', 'not-the-password', '192.0.2.10');
      assert.equal(wrong.statusCode, 401, wrong.body);
    }
    const locked = await couchLogin(reg, 'alice', 'alice-password-123', '192.0.2.10');
    assert.equal(locked.statusCode, 429, locked.body);
    assert.match(String(locked.headers['retry-after']), /^\d+$/);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal(locked.json().code, 'E_RATE_LIMITED');
    assert.equal(locked.json().token, undefined, 'no token while locked');
    // The lock is on the account, not only on the address.
    assert.equal((await couchLogin(reg, 'alice', 'alice-password-123', '198.51.100.7')).statusCode, 429);
    // Every failure is in alice's security log.
    const alice = await reg.stores.metadata.findUserByName('alice');
    const events = await reg.stores.auth.securityEvents.listForUser(alice!.id, 50);
    assert.equal(events.filter((e) => e.kind === 'password-failed').length, LIMIT);
    assert.ok(events.some((e) => e.kind === 'throttled'));
  });

  test('AUTHN-1e: the same response whether the account exists or not (wrong password, then locked)', async () => {
    const known = await couchLogin(reg, 'carol', 'not-the-password', '192.0.2.20');
    const unknown = await couchLogin(reg, 'nobody-here', 'not-the-password', '192.0.2.20');
    assert.equal(known.statusCode, unknown.statusCode);
    assert.deepEqual(known.json(), unknown.json());
    assert.equal(known.statusCode, 401);
    for (let i = 1; i < LIMIT; i++) {
      await couchLogin(reg, 'carol', 'not-the-password', '192.0.2.20');
      await couchLogin(reg, 'nobody-here', 'not-the-password', '192.0.2.20');
    }
    const knownLocked = await couchLogin(reg, 'carol', 'not-the-password', '192.0.2.20');
    const unknownLocked = await couchLogin(reg, 'nobody-here', 'not-the-password', '192.0.2.20');
    assert.equal(knownLocked.statusCode, 429);
    assert.equal(unknownLocked.statusCode, 429);
    assert.deepEqual(knownLocked.json(), unknownLocked.json());
    assert.equal(knownLocked.headers['retry-after'], unknownLocked.headers['retry-after']);
  });

  test('AUTHN-1e: Basic credentials go through the same throttle', async () => {
    const ok = await basicWhoami(reg, 'dave', 'dave-password-123', '192.0.2.30');
    assert.equal(ok.statusCode, 200, ok.body);
    for (let i = 0; i < LIMIT; i++) assert.equal((await basicWhoami(reg, 'dave', 'wrong-password', '192.0.2.30')).statusCode, 401);
    const locked = await basicWhoami(reg, 'dave', 'dave-password-123', '192.0.2.30');
    assert.equal(locked.statusCode, 429, locked.body);
    assert.ok(Number(locked.headers['retry-after']) > 0);
  });

  test('AUTHN-1e: the npm web login page answers 429 with Retry-After once the password step is locked', async () => {
    await reg.user('erin', { password: 'erin-password-123' });
    const start = await reg.app.inject({ method: 'POST', url: '/-/v1/login', payload: {} });
    assert.equal(start.statusCode, 200, start.body);
    const path = new URL(start.json().loginUrl as string).pathname;
    const post = async (password: string) => {
      const page = await reg.app.inject({ method: 'GET', url: path, remoteAddress: '192.0.2.40' });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      assert.ok(csrf, 'the form carries a CSRF token');
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return reg.app.inject({
        method: 'POST', url: path, remoteAddress: '192.0.2.40',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, username: 'erin', password }).toString(),
      });
    };
    for (let i = 0; i < LIMIT; i++) assert.equal((await post('wrong-password')).statusCode, 401);
    const locked = await post('erin-password-123');
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.match(locked.body, /Too many failed attempts/);
  });
});
