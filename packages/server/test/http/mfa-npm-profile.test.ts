// npm profile get/set/enable-2fa/disable-2fa over HTTP (npm-registry-api.md 4.2) with MFA on for
// every write (AUTHN-3b), the OTP challenge on a publish, and the critical-package rule (AUTHN-3c).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freshTotpCode, publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

describe('npm profile and the OTP challenge (AUTHN-3b, 3c)', () => {
  let reg: InProcessRegistry;
  let token: string;
  let uri = '';
  let lastStep = -1;
  const PASSWORD = 'erin-password-123';

  const code = async () => {
    const fresh = await freshTotpCode(uri, lastStep);
    lastStep = fresh.step;
    return fresh.code;
  };
  const post = (body: unknown, otp?: string) =>
    reg.app.inject({ method: 'POST', url: '/-/npm/v1/user', headers: { ...bearer(token), 'content-type': 'application/json', ...(otp ? { 'npm-otp': otp } : {}) }, payload: JSON.stringify(body) });
  const profile = async () => (await reg.app.inject({ method: 'GET', url: '/-/npm/v1/user', headers: bearer(token) })).json();
  const publish = (name: string, version: string, otp?: string) =>
    reg.app.inject({
      method: 'PUT', url: `/${name}`,
      headers: { ...bearer(token), 'content-type': 'application/json', ...(otp ? { 'npm-otp': otp } : {}) },
      payload: JSON.stringify(publishBody({ name, version }).body),
    });

  before(async () => {
    reg = await inProcessRegistry({ mfa: { required: 'all-writes' } });
    token = await reg.user('erin', { password: PASSWORD });
  });
  after(() => reg.close());

  test('AUTHN-3b: npm profile get shows tfa false; a publish without a second factor is refused with E_MFA_REQUIRED', async () => {
    const p = await profile();
    assert.equal(p.name, 'erin');
    assert.equal(p.tfa, false);
    for (const key of ['email', 'email_verified', 'fullname', 'homepage', 'freenode', 'twitter', 'github', 'created', 'updated', 'cidr_whitelist']) assert.ok(key in p, key);
    assert.equal(p.email_verified, true, 'an account an operator made: its address counts as vouched for');
    const res = await publish('erin-lib', '1.0.0');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'E_MFA_REQUIRED');
  });

  test('AUTHN-3b: enable-2fa: the password gives an otpauth URI (pending), the first code gives ten recovery codes', async () => {
    assert.equal((await post({ tfa: { password: 'wrong-password-1', mode: 'auth-and-writes' } })).json().code, 'E_BAD_CREDENTIALS');
    const started = await post({ tfa: { password: PASSWORD, mode: 'auth-and-writes' } });
    assert.equal(started.statusCode, 200, started.body);
    uri = started.json().tfa;
    assert.match(uri, /^otpauth:\/\/totp\/.*secret=/);
    assert.deepEqual((await profile()).tfa, { mode: 'auth-and-writes', pending: true });
    const confirmed = await post({ tfa: [await code()] });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal(confirmed.json().tfa.length, 10);
    assert.deepEqual((await profile()).tfa, { mode: 'auth-and-writes', pending: false });
    const events = await reg.stores.auth.securityEvents.listForUser((await reg.stores.metadata.findUserByName('erin'))!.id, 20);
    assert.ok(events.some((e) => e.kind === 'totp-added') && events.some((e) => e.kind === 'recovery-codes-generated'), JSON.stringify(events.map((e) => e.kind)));
  });

  test('AUTHN-3b: a publish now gets 401 WWW-Authenticate: OTP, and passes with npm-otp', async () => {
    const challenged = await publish('erin-lib', '1.0.0');
    assert.equal(challenged.statusCode, 401);
    assert.equal(challenged.headers['www-authenticate'], 'OTP');
    assert.equal(challenged.json().code, 'E_OTP_REQUIRED');
    assert.match(challenged.json().error, /one-time password/);
    assert.equal((await publish('erin-lib', '1.0.0', await code())).statusCode, 201);
  });

  test('AUTHN-3c: a package the operator flags critical refuses a TOTP-approved write', async () => {
    await reg.stores.packageSettings.set('erin-lib', { critical: true });
    const res = await publish('erin-lib', '1.0.1', await code());
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'E_PHISHING_RESISTANT_REQUIRED');
    await reg.stores.packageSettings.set('erin-lib', { critical: false });
  });

  test('npm profile set: unknown keys are refused, an email change is sent to the web UI, the password changes with the old one', async () => {
    assert.equal((await post({ fullname: 'Erin' }, await code())).json().code, 'E_BAD_REQUEST');
    assert.match((await post({ email: 'new@example.com' }, await code())).json().error, /web UI/);
    const changed = await post({ password: { old: PASSWORD, new: 'a-much-longer-new-passphrase-9' } }, await code());
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().name, 'erin');
  });

  test('AUTHN-3b: disable-2fa needs the password and a second factor', async () => {
    const noCode = await post({ tfa: { password: 'a-much-longer-new-passphrase-9', mode: 'disable' } });
    assert.equal(noCode.statusCode, 401);
    assert.equal(noCode.headers['www-authenticate'], 'OTP');
    const off = await post({ tfa: { password: 'a-much-longer-new-passphrase-9', mode: 'disable' } }, await code());
    assert.equal(off.statusCode, 200, off.body);
    assert.equal((await profile()).tfa, false);
  });
});
