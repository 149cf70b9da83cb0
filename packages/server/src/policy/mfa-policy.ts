import type { ErrorCode } from '../domain/errors.js';
import { ALLOW, deny, type Decision } from './decision.js';
import { decideCriticalAuthenticator, type ApprovingFactor } from './critical-authenticator.js';

/** `mfa.required`: AUTHN-3b (every write), AUTHN-2c (critical packages only), or off. */
export type MfaMode = 'all-writes' | 'critical-only' | 'off';

/** Every write of npm-registry-api.md 1.4 that goes through the OTP challenge. */
export type WriteAction =
  | 'publish' | 'unpublish' | 'deprecate' | 'package-update' | 'dist-tag' | 'owner' | 'access'
  | 'org' | 'team' | 'token-create' | 'token-revoke' | 'profile' | 'tfa' | 'trust'
  /** Trading the password for a token at npm's legacy login (AUTHN-1c). */
  | 'login'
  /** Turning the authenticator app off with `npm profile disable-2fa`. */
  | 'tfa-remove';

/**
 * Actions that need the account's second factor whenever it has one, whatever `mfa.required`
 * says: a password alone must neither get a token nor take the factor away (AUTHN-1c). An
 * account without a factor still signs in with its password (it needs a token to enrol one).
 */
export function asksFactorWheneverEnrolled(action: WriteAction): boolean {
  return action === 'login' || action === 'tfa-remove';
}

export interface WriteFacts {
  readonly mode: MfaMode;
  readonly action: WriteAction;
  /** The package written to is critical (top downloads or flagged; AUTHN-2c/3c). */
  readonly critical: boolean;
  readonly via: 'token' | 'password' | 'session' | 'operator';
  /** An automation token: its creation was confirmed with a second factor. */
  readonly bypass2fa: boolean;
  /** Minted by a trusted-publishing exchange: the CI's OIDC identity is the factor. */
  readonly trustedPublisher: boolean;
  readonly enrolled: { readonly totp: boolean; readonly webauthn: boolean };
  /** `mfa.automationTokensOnCritical`. */
  readonly automationTokensOnCritical: boolean;
}

/** What the write needs before it may go on. */
export type SecondFactorNeed =
  | { readonly kind: 'none' }
  | { readonly kind: 'any' }
  | { readonly kind: 'phishing-resistant' }
  | { readonly kind: 'refuse'; readonly code: ErrorCode; readonly message: string };

const NONE: SecondFactorNeed = { kind: 'none' };

export const ENROL_HINT = 'enrol a second factor with `npm profile enable-2fa auth-and-writes` or on your account page in the web UI';
export const BROWSER_HINT = 'approve it in the browser with a security key or passkey (run npm in a terminal so it can open the approval page)';

/**
 * Whether a write needs a second factor, and which kind (AUTHN-2c, 3b, 3c). Operator actions
 * (the admin CLI) and trusted-publishing tokens need none; automation tokens skip the per-request
 * code; a user with no second factor is refused, except when turning one on.
 */
export function decideSecondFactorNeed(f: WriteFacts): SecondFactorNeed {
  if (f.via === 'operator') return NONE;
  const enrolled = f.enrolled.totp || f.enrolled.webauthn;
  // Before the token exemptions: an automation token must not remove the factor either.
  if (asksFactorWheneverEnrolled(f.action)) return enrolled ? { kind: 'any' } : NONE;
  if (f.trustedPublisher) return NONE;
  if (f.mode === 'off') return NONE;
  if (f.mode === 'critical-only' && !f.critical) return NONE;
  // Enrolling must stay possible for an account that has no factor yet.
  if (f.action === 'tfa' && !enrolled) return NONE;
  if (f.bypass2fa) {
    if (!f.critical || f.automationTokensOnCritical) return NONE;
    return { kind: 'refuse', code: 'E_PHISHING_RESISTANT_REQUIRED', message: 'This package is critical and the registry does not accept automation tokens for it: publish with trusted publishing, or use a token without bypass and approve the write with a security key.' };
  }
  if (!enrolled) return { kind: 'refuse', code: 'E_MFA_REQUIRED', message: `This registry requires two-factor authentication for every write: ${ENROL_HINT}.` };
  if (!f.critical) return { kind: 'any' };
  if (!f.enrolled.webauthn) {
    return { kind: 'refuse', code: 'E_PHISHING_RESISTANT_REQUIRED', message: 'This package is critical: its maintainers must approve writes with a security key or passkey. Add one on your account page in the web UI, then approve the write in the browser.' };
  }
  return { kind: 'phishing-resistant' };
}

/** Whether the factor that came with the request satisfies the need (AUTHN-3c AAGUID list included). */
export function decidePresentedFactor(need: SecondFactorNeed, factor: ApprovingFactor, criticalAaguids: readonly string[]): Decision {
  if (need.kind !== 'phishing-resistant') return ALLOW;
  if (factor.kind !== 'webauthn') {
    return deny('E_PHISHING_RESISTANT_REQUIRED', `This package is critical: a one-time code is not enough; ${BROWSER_HINT}.`);
  }
  return decideCriticalAuthenticator(factor, criticalAaguids);
}
