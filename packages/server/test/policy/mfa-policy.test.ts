import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decidePresentedFactor, decideSecondFactorNeed, type WriteAction, type WriteFacts } from '../../src/policy/mfa-policy.js';

const base: WriteFacts = {
  mode: 'all-writes', action: 'publish', critical: false, via: 'token', bypass2fa: false, trustedPublisher: false,
  enrolled: { totp: true, webauthn: false }, automationTokensOnCritical: true,
};
const need = (change: Partial<WriteFacts>) => decideSecondFactorNeed({ ...base, ...change });

const WRITES: WriteAction[] = ['publish', 'unpublish', 'deprecate', 'package-update', 'dist-tag', 'owner', 'access', 'org', 'team', 'token-create', 'token-revoke', 'profile', 'trust'];

test('AUTHN-3b: by default every write of a maintainer with TOTP needs a second factor', () => {
  for (const action of WRITES) assert.equal(need({ action }).kind, 'any', action);
});

test('AUTHN-3b: a maintainer with no second factor is refused every write with E_MFA_REQUIRED and told how to enrol', () => {
  for (const action of WRITES) {
    const n = need({ action, enrolled: { totp: false, webauthn: false } });
    assert.equal(n.kind, 'refuse', action);
    assert.ok(n.kind === 'refuse' && n.code === 'E_MFA_REQUIRED' && /npm profile enable-2fa/.test(n.message) && /web UI/.test(n.message));
  }
});

test('AUTHN-3b: turning a factor on stays possible without one; turning it off needs one', () => {
  assert.equal(need({ action: 'tfa', enrolled: { totp: false, webauthn: false } }).kind, 'none');
  assert.equal(need({ action: 'tfa' }).kind, 'any');
});

test('AUTHN-2c: critical-only asks only for critical packages; off asks nothing', () => {
  assert.equal(need({ mode: 'critical-only' }).kind, 'none');
  assert.equal(need({ mode: 'critical-only', critical: true, enrolled: { totp: true, webauthn: true } }).kind, 'phishing-resistant');
  assert.equal(need({ mode: 'critical-only', critical: true, enrolled: { totp: false, webauthn: false } }).kind, 'refuse');
  assert.equal(need({ mode: 'off', critical: true, enrolled: { totp: false, webauthn: false } }).kind, 'none');
});

test('AUTHN-3b: automation tokens, trusted-publishing tokens and operator actions skip the per-request factor', () => {
  assert.equal(need({ bypass2fa: true }).kind, 'none');
  assert.equal(need({ trustedPublisher: true, enrolled: { totp: false, webauthn: false } }).kind, 'none');
  assert.equal(need({ via: 'operator', enrolled: { totp: false, webauthn: false } }).kind, 'none');
  // Session and password actors are people: they need the factor like plain tokens.
  assert.equal(need({ via: 'password' }).kind, 'any');
  assert.equal(need({ via: 'session' }).kind, 'any');
});

test('AUTHN-3c: a critical package needs a phishing-resistant factor; a TOTP-only maintainer is refused', () => {
  const totpOnly = need({ critical: true });
  assert.ok(totpOnly.kind === 'refuse' && totpOnly.code === 'E_PHISHING_RESISTANT_REQUIRED');
  const withKey = need({ critical: true, enrolled: { totp: true, webauthn: true } });
  assert.equal(withKey.kind, 'phishing-resistant');
  const viaTotp = decidePresentedFactor(withKey, { kind: 'totp' }, []);
  assert.ok(!viaTotp.allow && viaTotp.code === 'E_PHISHING_RESISTANT_REQUIRED' && /browser/.test(viaTotp.reason));
  assert.ok(!decidePresentedFactor(withKey, { kind: 'recovery-code' }, []).allow);
  assert.ok(decidePresentedFactor(withKey, { kind: 'webauthn' }, []).allow);
  assert.ok(decidePresentedFactor({ kind: 'any' }, { kind: 'totp' }, []).allow);
});

test('AUTHN-3c: with auth.criticalAaguids, only the listed authenticator models count', () => {
  const n = need({ critical: true, enrolled: { totp: false, webauthn: true } });
  const yubikey = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
  assert.ok(decidePresentedFactor(n, { kind: 'webauthn', aaguid: yubikey }, [yubikey]).allow);
  const other = decidePresentedFactor(n, { kind: 'webauthn', aaguid: '00000000-0000-0000-0000-000000000000' }, [yubikey]);
  assert.ok(!other.allow && other.code === 'E_AUTHENTICATOR_NOT_ALLOWED');
});

test('AUTHN-3c: automation tokens on critical packages follow mfa.automationTokensOnCritical', () => {
  assert.equal(need({ critical: true, bypass2fa: true }).kind, 'none');
  const refused = need({ critical: true, bypass2fa: true, automationTokensOnCritical: false });
  assert.ok(refused.kind === 'refuse' && refused.code === 'E_PHISHING_RESISTANT_REQUIRED');
  // Trusted publishing stays allowed: the OIDC identity is the factor.
  assert.equal(need({ critical: true, trustedPublisher: true, automationTokensOnCritical: false }).kind, 'none');
});

test('AUTHN-1c: signing in and removing the factor ask an enrolled account for it in every mode, even from an automation token; an account without one passes', () => {
  for (const action of ['login', 'tfa-remove'] as const) {
    for (const mode of ['all-writes', 'critical-only', 'off'] as const) {
      assert.equal(need({ action, mode, via: 'password' }).kind, 'any', `${action} ${mode}`);
      assert.equal(need({ action, mode, enrolled: { totp: false, webauthn: true } }).kind, 'any', `${action} ${mode} webauthn`);
      assert.equal(need({ action, mode, enrolled: { totp: false, webauthn: false } }).kind, 'none', `${action} ${mode} no factor`);
    }
    assert.equal(need({ action, bypass2fa: true }).kind, 'any', `${action} automation token`);
  }
});
