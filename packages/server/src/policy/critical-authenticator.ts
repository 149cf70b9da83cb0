import { ALLOW, deny, type Decision } from './decision.js';

/** The facts about the factor that approved a write. */
export interface ApprovingFactor {
  readonly kind: 'password' | 'totp' | 'recovery-code' | 'webauthn';
  /** WebAuthn only: the authenticator model (lower-case UUID), all zeros when not attested. */
  readonly aaguid?: string;
  readonly userVerified?: boolean;
}

const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';

/**
 * AUTHN-2c/3c: writes to a critical package need a phishing-resistant factor (WebAuthn), and
 * when the operator lists AAGUIDs (e.g. their hardware keys), only those models count. An empty
 * list accepts any WebAuthn credential. The zero AAGUID (attestation "none", most passkeys)
 * never matches a non-empty list.
 */
export function decideCriticalAuthenticator(factor: ApprovingFactor, allowedAaguids: readonly string[]): Decision {
  if (factor.kind !== 'webauthn') {
    return deny('E_AUTHENTICATOR_NOT_ALLOWED', 'This package is critical: approve the change with a security key or passkey, not a one-time code.');
  }
  if (allowedAaguids.length === 0) return ALLOW;
  const aaguid = (factor.aaguid ?? ZERO_AAGUID).toLowerCase();
  if (aaguid !== ZERO_AAGUID && allowedAaguids.some((allowed) => allowed.toLowerCase() === aaguid)) return ALLOW;
  return deny('E_AUTHENTICATOR_NOT_ALLOWED', 'This package is critical: the registry accepts only the security keys its operator approved for it.');
}
