import { profile } from '../account/session.js';
import { writeChecks } from '../account/write-checks.js';
import { withDeclaration, type ProbeContext } from '../context.js';
import { evidenceOf, isObject } from '../http.js';
import { firstFound, fromRefusal, outcome, type ProbeTable } from './probe.js';

/** Where a registry may serve its account recovery policy (Bulwark's documented path first). */
export const RECOVERY_POLICY_PATHS = ['-/bulwark/policies/account-recovery', '-/security/account-recovery'];
const RECOVERY_TEXT = /account recovery|recover(ing)? (your|an|the) account|lost (your |the )?(second factor|2fa|authenticator|password)/i;

/** W3C "well-known URL for passkey endpoints": a registry offering passkeys can advertise them here. */
const PASSKEY_ENDPOINTS = '.well-known/passkey-endpoints';

async function passkeyEndpoints(ctx: ProbeContext) {
  const answer = await ctx.http.get(ctx.http.originUrl(`/${PASSKEY_ENDPOINTS}`));
  const ok = answer.status === 200 && isObject(answer.json) && (typeof answer.json.enroll === 'string' || typeof answer.json.manage === 'string');
  return { ok, evidence: evidenceOf(answer, ok ? 'passkey enrol/manage URLs advertised' : 'not advertised') };
}

async function signInPageMentionsWebAuthn(ctx: ProbeContext) {
  const answer = await ctx.http.get('-/ui/sign-in', { accept: 'text/html' });
  const ok = answer.status === 200 && /webauthn|security key|passkey|navigator\.credentials/i.test(answer.text);
  return { ok, evidence: { kind: 'http' as const, what: answer.what, result: `${answer.status}; ${ok ? 'offers WebAuthn' : 'no WebAuthn on the page'}` } };
}

export const AUTHN_PROBES: ProbeTable = {
  async 'AUTHN-1a'(ctx) {
    const p = await profile(ctx);
    if (!p.answer) return withDeclaration(ctx, 'AUTHN-1a', outcome('cannot-tell', `email verification is visible only to an account: ${p.reason}`));
    const ev = [evidenceOf(p.answer, 'npm profile get', 'account')];
    if (!isObject(p.answer.json)) return outcome('not-met', `GET /-/npm/v1/user answered ${p.answer.status}: no profile API`, ev);
    if (!('email_verified' in p.answer.json)) return outcome('not-met', 'the profile has no email_verified field: the registry does not track verification', ev);
    return p.answer.json.email_verified === true
      ? outcome('met', 'the profile reports email_verified: true for the test account', ev)
      : outcome('partly', 'the registry tracks email_verified, but the test account is unverified and still signed in and probed', ev);
  },

  async 'AUTHN-1b'(ctx) {
    const doc = await firstFound(ctx, RECOVERY_POLICY_PATHS);
    if (doc && doc.status === 200 && RECOVERY_TEXT.test(doc.text)) return outcome('met', `a recovery policy is served at /${doc.path}`, doc.evidence);
    const policy = await ctx.http.get('-/security/policy', { accept: 'text/markdown, text/plain' });
    const evidence = [...(doc?.evidence ?? []), evidenceOf(policy)];
    if (policy.status === 200 && RECOVERY_TEXT.test(policy.text)) return outcome('met', 'the served security policy documents account recovery', evidence);
    return withDeclaration(ctx, 'AUTHN-1b', outcome('not-met', `no served document describes account recovery (tried ${RECOVERY_POLICY_PATHS.map((p) => `/${p}`).join(', ')} and /-/security/policy)`, evidence));
  },

  async 'AUTHN-1c'(ctx) {
    const w = await writeChecks(ctx);
    const p = await profile(ctx);
    const evidence = [...(p.answer ? [evidenceOf(p.answer, 'npm profile get', 'account')] : []), ...(w.publishWithoutOtp?.evidence ?? [])];
    if (w.publishWithoutOtp?.refused) return outcome('met', 'publish was challenged for a one-time password (401 WWW-Authenticate: OTP)', evidence);
    if (p.answer && isObject(p.answer.json) && 'tfa' in p.answer.json) {
      const tfa = p.answer.json.tfa;
      if (isObject(tfa) && typeof tfa.mode === 'string') return outcome('met', `the test account has TOTP 2FA enabled (tfa.mode ${tfa.mode})`, evidence);
      return outcome('partly', 'the profile carries a tfa field (npm profile enable-2fa exists) but the test account has no second factor enabled, so it was not exercised', evidence);
    }
    if (p.answer) return outcome('not-met', 'the profile has no tfa field: npm profile enable-2fa has nothing to talk to', evidence);
    return withDeclaration(ctx, 'AUTHN-1c', outcome('cannot-tell', `TOTP support is visible only to an account: ${p.reason}`, evidence));
  },

  async 'AUTHN-1d'(ctx) {
    return withDeclaration(ctx, 'AUTHN-1d', outcome('cannot-tell', 'security mail cannot be observed without a mailbox: answer it in the questionnaire'));
  },

  async 'AUTHN-1e'(ctx) {
    const w = await writeChecks(ctx);
    return withDeclaration(ctx, 'AUTHN-1e', fromRefusal(w.bruteForce, w.reason || 'the brute-force probe needs --allow-writes and --user',
      'wrong passwords are throttled', 'no brute-force protection observed'));
  },

  async 'AUTHN-2a'(ctx) {
    return withDeclaration(ctx, 'AUTHN-2a', outcome('cannot-tell', 'domain checks run inside the registry and cannot be observed from outside: answer it in the questionnaire'));
  },

  async 'AUTHN-2b'(ctx) {
    const [keys, page] = await Promise.all([passkeyEndpoints(ctx), signInPageMentionsWebAuthn(ctx)]);
    if (keys.ok || page.ok) return outcome('met', keys.ok ? 'passkey endpoints are advertised' : 'the sign-in page offers WebAuthn', [keys.evidence, page.evidence]);
    return withDeclaration(ctx, 'AUTHN-2b', outcome('not-met', 'no public evidence of WebAuthn: no /.well-known/passkey-endpoints and no WebAuthn on the sign-in page', [keys.evidence, page.evidence]));
  },

  async 'AUTHN-2c'(ctx) {
    const w = await writeChecks(ctx);
    if (w.publishWithoutOtp?.refused) return outcome('met', 'even a new, unpopular package needs a second factor to publish, so critical ones do too', w.publishWithoutOtp.evidence);
    const why = w.publishWithoutOtp ? 'the probe package is not critical, so publishing it without a second factor says nothing about critical packages' : (w.reason || 'needs --allow-writes');
    return withDeclaration(ctx, 'AUTHN-2c', outcome('cannot-tell', why, w.publishWithoutOtp?.evidence ?? []));
  },

  async 'AUTHN-2d'(ctx) {
    return withDeclaration(ctx, 'AUTHN-2d', outcome('cannot-tell', 'probing it would set a leaked password on an account: answer it in the questionnaire'));
  },

  async 'AUTHN-3a'(ctx) {
    const keys = await passkeyEndpoints(ctx);
    if (keys.ok) return outcome('partly', 'passkey endpoints are advertised; passwordless sign-in itself needs a browser ceremony this tool does not run', [keys.evidence]);
    return withDeclaration(ctx, 'AUTHN-3a', outcome('not-met', 'no /.well-known/passkey-endpoints: no evidence of passkey sign-in', [keys.evidence]));
  },

  async 'AUTHN-3b'(ctx) {
    const w = await writeChecks(ctx);
    return withDeclaration(ctx, 'AUTHN-3b', fromRefusal(w.publishWithoutOtp, w.reason || 'needs --allow-writes, a test account and --scope',
      'publish needs a second factor', 'MFA is not required for every maintainer'));
  },

  async 'AUTHN-3c'(ctx) {
    return withDeclaration(ctx, 'AUTHN-3c', outcome('cannot-tell', 'requires a critical package and a WebAuthn ceremony to observe: answer it in the questionnaire'));
  },
};
