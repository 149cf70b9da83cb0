// AUTHN-1c over HTTP: npm's legacy login (PUT /-/user/org.couchdb.user:NAME, and the 409 path's
// PUT …/-rev/<rev> with Basic credentials) asks an account that has a second factor for it after
// the password, with npm's OTP challenge (npm-registry-api.md 1.4, 3.2); and turning the factor off
// with `npm profile disable-2fa` needs the password and a fresh second factor. MFA for writes is
// off here (the harness default): these rules hold whatever mfa.required says.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freshTotpCode } from '@bulwark/testkit';
import { loadConfig } from '../../src/config/load-config.js';
import { totpServiceFor } from '../../src/main.js';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

const PUBLIC = 'http://localhost:4873';

function basic(name: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` };
}

describe('the second factor at the legacy npm login (AUTHN-1c)', () => {
  let reg: InProcessRegistry;
  const users: Record<string, { id: number; password: string; uri: string; recoveryCodes: string[]; lastStep: number }> = {};

  const code = async (name: string) => {
    const u = users[name]!;
    const fresh = await freshTotpCode(u.uri, u.lastStep);
    u.lastStep = fresh.step;
    return fresh.code;
  };
  const login = (name: string, password: string, otp?: string) =>
    reg.app.inject({
      method: 'PUT', url: `/-/user/org.couchdb.user:${name}`, remoteAddress: '192.0.2.40',
      headers: { 'content-type': 'application/json', ...(otp ? { 'npm-otp': otp } : {}) },
      payload: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() }),
    });
  const tokenCount = async (name: string) => (await reg.stores.metadata.listTokens(users[name]!.id)).length;
  const events = async (name: string) => (await reg.stores.auth.securityEvents.listForUser(users[name]!.id, 100)).map((e) => e.kind);

  async function addUser(name: string, factor: 'totp' | 'webauthn' | 'none'): Promise<void> {
    const password = `${name}-long-password-1`;
    await reg.user(name, { password });
    const user = (await reg.stores.metadata.findUserByName(name))!;
    let uri = '';
    let recoveryCodes: string[] = [];
    if (factor === 'totp') {
      const config = loadConfig({ file: join(reg.dataDir, 'config.json'), env: {} });
      ({ uri, recoveryCodes } = await totpServiceFor(config, reg.stores).enrolConfirmed(user));
    }
    if (factor === 'webauthn') {
      await reg.stores.auth.webauthn.insert({
        id: `cred-${name}`, userId: user.id, name: 'test key', publicKey: 'AAAA', counter: 0, transports: ['usb'],
        aaguid: '00000000-0000-0000-0000-000000000000', discoverable: false, backupEligible: false, backedUp: false,
        userVerified: true, createdAt: new Date(), lastUsedAt: null,
      });
    }
    users[name] = { id: user.id, password, uri, recoveryCodes, lastStep: -1 };
  }

  before(async () => {
    reg = await inProcessRegistry({ publicUrl: PUBLIC });
    await addUser('tina', 'totp');
    await addUser('rita', 'totp');
    await addUser('paula', 'none');
    await addUser('kim', 'webauthn');
    await addUser('dora', 'totp');
  });
  after(() => reg.close());

  test('AUTHN-1c: a TOTP user without npm-otp gets 401 WWW-Authenticate: OTP after the right password, and no token', async () => {
    const before = await tokenCount('tina');
    const res = await login('tina', users.tina!.password);
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.headers['www-authenticate'], 'OTP');
    assert.equal(res.json().code, 'E_OTP_REQUIRED');
    assert.match(res.json().error, /one-time password/);
    assert.equal(res.json().token, undefined);
    assert.equal(res.json().authUrl, undefined, 'a TOTP-only user keeps npm\'s Enter OTP prompt');
    assert.equal(await tokenCount('tina'), before, 'no token was created');
    // A wrong password is answered as before: no hint that a second factor exists.
    const wrong = await login('tina', 'not-the-password');
    const unknown = await login('nobody-at-all', 'not-the-password');
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.headers['www-authenticate'], undefined);
    assert.deepEqual(wrong.json(), unknown.json());
  });

  test('AUTHN-1c: a wrong password with a valid code is refused on the password, and the code is not spent', async () => {
    const otp = await code('tina');
    const res = await login('tina', 'not-the-password', otp);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'E_BAD_CREDENTIALS');
    const ok = await login('tina', users.tina!.password, otp);
    assert.equal(ok.statusCode, 201, ok.body);
    assert.match(ok.json().token, /\S+/);
    const who = await reg.app.inject({ method: 'GET', url: '/-/whoami', headers: bearer(ok.json().token) });
    assert.equal(who.json().username, 'tina');
  });

  test('AUTHN-1c: a replayed code is refused with E_OTP_REPLAYED, logged, and gives no token', async () => {
    const otp = await code('rita');
    assert.equal((await login('rita', users.rita!.password, otp)).statusCode, 201);
    const before = await tokenCount('rita');
    const replayed = await login('rita', users.rita!.password, otp);
    assert.equal(replayed.statusCode, 401, replayed.body);
    assert.equal(replayed.json().code, 'E_OTP_REPLAYED');
    assert.equal(replayed.json().token, undefined);
    assert.equal(await tokenCount('rita'), before);
    const kinds = await events('rita');
    assert.ok(kinds.includes('totp-replayed') && kinds.includes('second-factor-failed'), JSON.stringify(kinds));
    const wrong = await login('rita', users.rita!.password, '000000');
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.json().code, /^E_OTP_(INVALID|OUT_OF_SYNC)$/);
  });

  test('AUTHN-1c: a recovery code logs in once and is burned', async () => {
    const recovery = users.rita!.recoveryCodes[0]!;
    const ok = await login('rita', users.rita!.password, recovery);
    assert.equal(ok.statusCode, 201, ok.body);
    assert.ok(ok.json().token);
    assert.ok((await events('rita')).includes('recovery-code-used'));
    const again = await login('rita', users.rita!.password, recovery);
    assert.equal(again.statusCode, 401);
    assert.equal(again.json().code, 'E_OTP_INVALID');
    assert.equal(again.json().token, undefined);
  });

  test('AUTHN-1c: an account without a second factor logs in with its password alone', async () => {
    const res = await login('paula', users.paula!.password);
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(res.json().token);
  });

  test('AUTHN-1c: the 409 path (PUT …/-rev/<rev> with Basic credentials) also asks for the code', async () => {
    const url = '/-/user/org.couchdb.user:tina/-rev/1-abc';
    const payload = JSON.stringify({ _id: 'org.couchdb.user:tina', name: 'tina', password: users.tina!.password, type: 'user', roles: [] });
    const before = await tokenCount('tina');
    const challenged = await reg.app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/json', ...basic('tina', users.tina!.password) }, payload });
    assert.equal(challenged.statusCode, 401, challenged.body);
    assert.equal(challenged.headers['www-authenticate'], 'OTP');
    assert.equal(challenged.json().token, undefined);
    assert.equal(await tokenCount('tina'), before);
    const ok = await reg.app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/json', 'npm-otp': await code('tina'), ...basic('tina', users.tina!.password) }, payload });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.ok(ok.json().token);
  });

  test('AUTHN-1c: a WebAuthn user gets authUrl and doneUrl in the 401 body (npm\'s browser approval)', async () => {
    const res = await login('kim', users.kim!.password);
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.headers['www-authenticate'], 'OTP');
    const body = res.json();
    assert.equal(body.code, 'E_OTP_REQUIRED');
    assert.match(body.authUrl, /^http:\/\/localhost:4873\/-\/ui\/approve\//);
    assert.match(body.doneUrl, /^http:\/\/localhost:4873\//);
    assert.equal(body.token, undefined);
    const pending = await reg.app.inject({ method: 'GET', url: String(body.doneUrl).slice(PUBLIC.length) });
    assert.equal(pending.statusCode, 202, 'nothing approved yet');
    // A made-up browser approval code is refused.
    const forged = await login('kim', users.kim!.password, 'bwa_not-a-real-approval');
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.json().code, 'E_OTP_INVALID');
    assert.equal(forged.json().token, undefined);
  });

  test('AUTHN-1c: npm profile disable-2fa needs the password and a fresh second factor, then mails mfa-removed', async () => {
    // Signed in with a recovery code, so the TOTP steps below are all fresh.
    const login1 = await login('dora', users.dora!.password, users.dora!.recoveryCodes[0]!);
    assert.equal(login1.statusCode, 201, login1.body);
    const token = login1.json().token as string;
    const disable = (password: string, otp?: string) =>
      reg.app.inject({
        method: 'POST', url: '/-/npm/v1/user',
        headers: { ...bearer(token), 'content-type': 'application/json', ...(otp ? { 'npm-otp': otp } : {}) },
        payload: JSON.stringify({ tfa: { password, mode: 'disable' } }),
      });
    const tfa = async () => (await reg.app.inject({ method: 'GET', url: '/-/npm/v1/user', headers: bearer(token) })).json().tfa;

    const noCode = await disable(users.dora!.password);
    assert.equal(noCode.statusCode, 401, noCode.body);
    assert.equal(noCode.headers['www-authenticate'], 'OTP');
    const otp = await code('dora');
    const wrongPassword = await disable('not-the-password', otp);
    assert.equal(wrongPassword.json().code, 'E_BAD_CREDENTIALS', wrongPassword.body);
    // That code was spent on the refused request: it cannot be replayed.
    const replayed = await disable(users.dora!.password, otp);
    assert.equal(replayed.json().code, 'E_OTP_REPLAYED', replayed.body);
    assert.deepEqual(await tfa(), { mode: 'auth-and-writes', pending: false }, 'the factor is still on');
    assert.equal((await reg.stores.auth.outbox.list(100)).filter((m) => m.kind === 'mfa-removed' && m.to === 'dora@example.com').length, 0);

    const off = await disable(users.dora!.password, await code('dora'));
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(await tfa(), false);
    assert.ok((await reg.stores.auth.outbox.list(100)).some((m) => m.kind === 'mfa-removed' && m.to === 'dora@example.com'), 'the owner is mailed');
  });
});
