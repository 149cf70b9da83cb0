import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryError, isRegistryError } from '../../src/domain/errors.js';
import type { WebOtpApprovals } from '../../src/domain/web-otp.js';
import { WriteSecondFactor, type WriteSecondFactorOptions } from '../../src/services/write-second-factor.js';
import { tokenActor } from '../policy/actors.js';

const presented = (otp: string | null) => ({ otp, ip: '127.0.0.1', userAgent: 'npm/11', baseUrl: 'http://reg.test/' });

function service(change: Partial<Omit<WriteSecondFactorOptions, 'webauthn' | 'critical'>> & { hasKey?: boolean; isCritical?: boolean } = {}) {
  const { hasKey, isCritical, ...rest } = change;
  const checked: string[] = [];
  const options: WriteSecondFactorOptions = {
    mode: 'all-writes', automationTokensOnCritical: true, criticalAaguids: [],
    totp: { isEnrolled: async () => true },
    webauthn: { list: async () => (hasKey ? [{}] : []) },
    gate: {
      checkTotp: async (_u, code) => { checked.push(`totp:${code}`); if (code !== '123456') throw new RegistryError('E_OTP_INVALID', 'wrong'); },
      checkRecoveryCode: async (_u, code) => { checked.push(`recovery:${code}`); return { remaining: 9 }; },
    },
    critical: { isCritical: async () => isCritical ?? false },
    settings: { get: async () => ({ critical: false, trustedPublishingOnly: false, requireStaging: false }) },
    ...rest,
  };
  return { mfa: new WriteSecondFactor(options), checked };
}

function webOtp(factor: 'security-key' | 'passkey' | 'totp', aaguid?: string): WebOtpApprovals & { started: string[] } {
  const started: string[] = [];
  return {
    started,
    async start(userId, what, baseUrl) {
      started.push(what);
      return { authUrl: `${baseUrl}-/approve/${userId}`, doneUrl: `${baseUrl}-/approve/${userId}/done` };
    },
    async consume(_userId, code) {
      return code === 'bwa_good' ? { factor, ...(aaguid ? { aaguid } : {}) } : null;
    },
  };
}

async function refusal(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (err) {
    if (isRegistryError(err)) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

const publish = { action: 'publish' as const, packageName: 'lib', what: 'publish lib' };

test('AUTHN-3b: no code: 401 E_OTP_REQUIRED with WWW-Authenticate: OTP; with web approvals, authUrl/doneUrl in the body', async () => {
  const { mfa } = service();
  const plain = await refusal(mfa.assertWrite(tokenActor(1), presented(null), publish));
  assert.equal(plain.code, 'E_OTP_REQUIRED');
  assert.equal(plain.headers['www-authenticate'], 'OTP');
  assert.deepEqual(plain.fields, {});
  // A TOTP-only user keeps npm's "Enter OTP" prompt: no browser links (npm would follow them instead).
  const approvals = webOtp('passkey');
  const totpOnly = await refusal(mfa.assertWrite(tokenActor(1), presented(null), publish, approvals));
  assert.deepEqual(totpOnly.fields, {});
  assert.deepEqual(approvals.started, []);
  // A user with a security key or passkey is offered the browser approval.
  const withKey = service({ hasKey: true }).mfa;
  const web = await refusal(withKey.assertWrite(tokenActor(1), presented(null), publish, approvals));
  assert.equal(web.code, 'E_OTP_REQUIRED');
  assert.equal(web.fields.authUrl, 'http://reg.test/-/approve/1');
  assert.equal(web.fields.doneUrl, 'http://reg.test/-/approve/1/done');
  assert.deepEqual(approvals.started, ['publish lib']);
});

test('AUTHN-1c: codes go through the throttled gate: 6 digits as TOTP, anything else as a recovery code', async () => {
  const { mfa, checked } = service();
  assert.deepEqual(await mfa.assertWrite(tokenActor(1), presented('123456'), publish), { kind: 'totp' });
  assert.equal((await refusal(mfa.assertWrite(tokenActor(1), presented('654321'), publish))).code, 'E_OTP_INVALID');
  assert.deepEqual(await mfa.assertWrite(tokenActor(1), presented('abcd-efgh-ijkl-mnop'), publish), { kind: 'recovery-code' });
  assert.deepEqual(checked, ['totp:123456', 'totp:654321', 'recovery:abcd-efgh-ijkl-mnop']);
});

test('AUTHN-3b: a web approval code (bwa_) is consumed once through WebOtpApprovals; an unknown one is refused', async () => {
  const { mfa, checked } = service();
  assert.deepEqual(await mfa.assertWrite(tokenActor(1), presented('bwa_good'), publish, webOtp('totp')), { kind: 'totp' });
  assert.equal((await refusal(mfa.assertWrite(tokenActor(1), presented('bwa_bad'), publish, webOtp('totp')))).code, 'E_OTP_INVALID');
  assert.equal((await refusal(mfa.assertWrite(tokenActor(1), presented('bwa_good'), publish))).code, 'E_OTP_INVALID', 'no approvals wired');
  assert.deepEqual(checked, [], 'approval codes never reach the TOTP check');
});

test('AUTHN-3c: on a critical package a TOTP code is refused without being checked; a security-key approval passes', async () => {
  const { mfa, checked } = service({ isCritical: true, hasKey: true });
  const approvals = webOtp('security-key');
  const totp = await refusal(mfa.assertWrite(tokenActor(1), presented('123456'), publish, approvals));
  assert.equal(totp.code, 'E_PHISHING_RESISTANT_REQUIRED');
  assert.match(totp.message, /browser/);
  assert.ok(totp.fields.authUrl, 'the refusal still points at the approval page');
  assert.deepEqual(checked, [], 'the code was not spent');
  const noCode = await refusal(mfa.assertWrite(tokenActor(1), presented(null), publish, approvals));
  assert.equal(noCode.code, 'E_OTP_REQUIRED', 'npm can follow authUrl');
  assert.deepEqual(await mfa.assertWrite(tokenActor(1), presented('bwa_good'), publish, approvals), { kind: 'webauthn' });
  // Approved in the browser with TOTP: still not phishing-resistant.
  assert.equal((await refusal(mfa.assertWrite(tokenActor(1), presented('bwa_good'), publish, webOtp('totp')))).code, 'E_PHISHING_RESISTANT_REQUIRED');
});

test('AUTHN-3c: auth.criticalAaguids applies to the AAGUID the web approval reports', async () => {
  const yubikey = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
  const { mfa } = service({ isCritical: true, hasKey: true, criticalAaguids: [yubikey] });
  assert.deepEqual(await mfa.assertWrite(tokenActor(1), presented('bwa_good'), publish, webOtp('security-key', yubikey)), { kind: 'webauthn', aaguid: yubikey });
  const other = await refusal(mfa.assertWrite(tokenActor(1), presented('bwa_good'), publish, webOtp('passkey')));
  assert.equal(other.code, 'E_AUTHENTICATOR_NOT_ALLOWED');
});

test('AUTHZ-3a: trusted-publishing-only refuses token publishes, whatever the MFA mode, and accepts trusted-publisher tokens', async () => {
  const { mfa } = service({ mode: 'off', settings: { get: async () => ({ critical: false, trustedPublishingOnly: true, requireStaging: false }) } });
  const refused = await refusal(mfa.assertWrite(tokenActor(1, { bypass2fa: true }), presented(null), publish));
  assert.equal(refused.code, 'E_TRUSTED_PUBLISHING_REQUIRED');
  const tp = { provider: 'github', repository: 'acme/lib', workflow: 'release.yml' } as never;
  assert.equal(await mfa.assertWrite(tokenActor(1, { trustedPublisher: tp }), presented(null), publish), null);
  // Other writes (dist-tag) are not publishes.
  assert.equal(await mfa.assertWrite(tokenActor(1), presented(null), { action: 'dist-tag', packageName: 'lib', what: 'tag' }), null);
});

test('issue 4: minting an automation token asks for the factor even with an automation token or mfa.required off', async () => {
  const { mfa } = service({ mode: 'off' });
  const intent = { action: 'token-create' as const, what: 'create a token', alwaysNeedsFactor: true };
  assert.equal((await refusal(mfa.assertWrite(tokenActor(1, { bypass2fa: true }), presented(null), intent))).code, 'E_OTP_REQUIRED');
  assert.deepEqual(await mfa.assertWrite(tokenActor(1, { bypass2fa: true }), presented('123456'), intent), { kind: 'totp' });
});
