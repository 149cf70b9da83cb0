// Secrets never reach the log: a server at its most verbose (trace) sees logins, token use, a
// failed login, a publish and a logout, and none of the passwords or tokens appear in its output.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freshTotpCode, publishBody, putPackage, request, sleep } from '@bulwark/testkit';
import { startRegistry, type TestRegistry } from './support.js';

describe('logs', () => {
  let env: TestRegistry;

  before(async () => {
    env = await startRegistry(['alice'], { config: { logLevel: 'trace' } });
  });
  after(() => env?.close());

  test('structured request logs carry request ids; passwords and tokens never appear', async () => {
    const alice = env.users.alice!;
    // Alice has TOTP: the legacy login carries the code (AUTHN-1c).
    const loginCode = await freshTotpCode(alice.totpUri);
    const login = await request(env.reg.urlOf('-/user/org.couchdb.user:alice'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'npm-otp': loginCode.code },
      body: JSON.stringify({ _id: 'org.couchdb.user:alice', name: 'alice', password: alice.password, type: 'user', roles: [] }),
    });
    assert.equal(login.status, 201, login.text);
    const issued = (login.json as { token: string }).token;
    const wrongPassword = 'Wrong-Password-Never-Logged-1234';
    const failed = await request(env.reg.urlOf('-/user/org.couchdb.user:alice'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: wrongPassword }),
    });
    assert.equal(failed.status, 401);
    const p = publishBody({ name: 'logged-pkg', version: '1.0.0', registryUrl: env.reg.url });
    // A login token is not an automation token: the publish carries the second factor (AUTHN-3b).
    assert.equal((await putPackage(env.reg.url, 'logged-pkg', p.body, issued, { 'npm-otp': (await freshTotpCode(alice.totpUri, loginCode.step)).code })).status, 201);
    const whoami = await request(env.reg.urlOf('-/whoami'), { token: alice.token });
    assert.equal(whoami.status, 200);
    const logout = await request(env.reg.urlOf(`-/user/token/${encodeURIComponent(issued)}`), { method: 'DELETE', token: issued });
    assert.equal(logout.status, 200, logout.text);

    // The server's output reaches us through a pipe: wait (bounded) for the last request's line.
    const logoutLogged = () => env.reg.logs.some((l) => l.json?.msg === 'request' && String(l.json?.url).startsWith('/-/user/token/'));
    for (let i = 0; i < 100 && !logoutLogged(); i++) await sleep(20);
    const text = env.reg.logs.map((l) => l.raw).join('\n');
    const requests = env.reg.logs.filter((l) => l.json?.msg === 'request');
    assert.ok(requests.length >= 5, `every request was logged; the log was:\n${text.slice(0, 3000)}`);
    for (const line of requests) assert.match(String(line.json?.reqId), /^r[0-9a-z]+$/, 'each request line has a request id');
    for (const secret of [alice.password, wrongPassword, issued, alice.token]) {
      assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 6)}…) appears in the log`);
    }
    // The logout URL carries the token: it must be logged without it.
    assert.ok(requests.some((l) => String(l.json?.url).startsWith('/-/user/token/')), 'the logout request was logged');
  });
});
