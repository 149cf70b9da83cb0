import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { RegistryError } from '../domain/errors.js';
import type { Clock } from '../domain/ports.js';
import type { AuthenticatorTransport, WebAuthnCredentialRecord, WebAuthnCredentialStore } from '../domain/webauthn-store.js';

/**
 * The library is loaded on first use: with its ASN.1 and COSE stack it adds about 4 MB of heap and
 * 15 MB of resident memory, which a registry whose users have no security keys never needs.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webauthnLibrary = () => (library ??= import('@simplewebauthn/server'));

export interface WebAuthnOptions {
  readonly store: WebAuthnCredentialStore;
  readonly clock: Clock;
  /** The relying party: the registry's host name (no port), e.g. registry.example.org. */
  readonly rpId: string;
  readonly rpName: string;
  /** Origins pages are served from, e.g. https://registry.example.org. */
  readonly origins: readonly string[];
}

/** Security key (second factor) or passkey (discoverable, user verification required: a whole sign-in). */
export type CredentialPurpose = 'security-key' | 'passkey';

const fromB64url = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
const toB64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** A stable WebAuthn user handle that reveals nothing: the user id in 8 bytes. */
function userHandle(userId: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(userId));
  return bytes;
}

export function userIdFromHandle(handle: string): number | null {
  const bytes = Buffer.from(handle, 'base64url');
  return bytes.length === 8 ? Number(bytes.readBigUInt64BE(0)) : null;
}

/**
 * WebAuthn server side (AUTHN-2b, 3a) over @simplewebauthn/server. The caller keeps the challenge
 * (in the session) between options and verification. Attestation "none" (as PyPI and RubyGems):
 * the AAGUID is then what the authenticator claims, enough for an operator allow-list of models
 * used by honest users, not proof against a forged authenticator.
 */
export class WebAuthnService {
  constructor(private readonly deps: WebAuthnOptions) {}

  async registrationOptions(user: { id: number; name: string }, purpose: CredentialPurpose): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.deps.store.listForUser(user.id);
    const { generateRegistrationOptions } = await webauthnLibrary();
    return generateRegistrationOptions({
      rpName: this.deps.rpName, rpID: this.deps.rpId, userName: user.name, userID: userHandle(user.id as number) as Uint8Array<ArrayBuffer>,
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: [...c.transports] })),
      authenticatorSelection: purpose === 'passkey'
        ? { residentKey: 'required', userVerification: 'required' }
        : { residentKey: 'discouraged', userVerification: 'preferred' },
      supportedAlgorithmIDs: [-7, -8, -257],
    });
  }

  /** Verifies and stores a new credential. E_WEBAUTHN_INVALID when it does not verify. */
  async register(userId: number, response: RegistrationResponseJSON, expectedChallenge: string, purpose: CredentialPurpose, name: string): Promise<WebAuthnCredentialRecord> {
    let verification;
    try {
      verification = await (await webauthnLibrary()).verifyRegistrationResponse({
        response, expectedChallenge, expectedOrigin: [...this.deps.origins], expectedRPID: this.deps.rpId,
        requireUserVerification: purpose === 'passkey',
      });
    } catch (err) {
      throw new RegistryError('E_WEBAUTHN_INVALID', `The security key's answer did not verify: ${(err as Error).message}`);
    }
    if (!verification.verified || !verification.registrationInfo) throw new RegistryError('E_WEBAUTHN_INVALID', 'The security key\'s answer did not verify.');
    const info = verification.registrationInfo;
    const discoverable = response.clientExtensionResults?.credProps?.rk === true;
    if (purpose === 'passkey' && !discoverable && response.clientExtensionResults?.credProps?.rk === false) {
      throw new RegistryError('E_WEBAUTHN_INVALID', 'This authenticator cannot store a passkey; add it as a security key instead.');
    }
    const record: WebAuthnCredentialRecord = {
      id: info.credential.id, userId, name: name.slice(0, 64) || 'security key', publicKey: toB64url(info.credential.publicKey),
      counter: info.credential.counter, transports: (info.credential.transports ?? []) as AuthenticatorTransport[],
      aaguid: info.aaguid.toLowerCase(), discoverable: discoverable || purpose === 'passkey',
      backupEligible: info.credentialDeviceType === 'multiDevice', backedUp: info.credentialBackedUp,
      userVerified: info.userVerified, createdAt: this.deps.clock.now(), lastUsedAt: null,
    };
    if (!(await this.deps.store.insert(record))) throw new RegistryError('E_WEBAUTHN_INVALID', 'This credential is registered already.');
    return record;
  }

  /** Options for a second-factor check (the user's credentials) or, without a user, a passkey sign-in. */
  async authenticationOptions(userId: number | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const credentials = userId === null ? [] : await this.deps.store.listForUser(userId);
    if (userId !== null && credentials.length === 0) throw new RegistryError('E_WEBAUTHN_INVALID', 'No security key is registered for this account.');
    const { generateAuthenticationOptions } = await webauthnLibrary();
    return generateAuthenticationOptions({
      rpID: this.deps.rpId,
      allowCredentials: credentials.map((c) => ({ id: c.id, transports: [...c.transports] })),
      userVerification: userId === null ? 'required' : 'preferred',
    });
  }

  /**
   * Verifies an assertion. With `userId`, the credential must be that user's (second factor);
   * without, it must be a passkey with user verification (passwordless sign-in), and its owner
   * is returned. The signature counter must move forward unless the authenticator keeps none.
   */
  async authenticate(response: AuthenticationResponseJSON, expectedChallenge: string, userId: number | null): Promise<WebAuthnCredentialRecord> {
    const credential = await this.deps.store.find(response.id);
    if (!credential || (userId !== null && credential.userId !== userId)) throw new RegistryError('E_WEBAUTHN_INVALID', 'This security key is not registered for the account.');
    const passwordless = userId === null;
    if (passwordless && response.response.userHandle && userIdFromHandle(response.response.userHandle) !== credential.userId) {
      throw new RegistryError('E_WEBAUTHN_INVALID', 'The passkey does not belong to the account it names.');
    }
    let verification;
    try {
      verification = await (await webauthnLibrary()).verifyAuthenticationResponse({
        response, expectedChallenge, expectedOrigin: [...this.deps.origins], expectedRPID: this.deps.rpId,
        credential: { id: credential.id, publicKey: fromB64url(credential.publicKey) as Uint8Array<ArrayBuffer>, counter: credential.counter, transports: [...credential.transports] },
        requireUserVerification: passwordless,
      });
    } catch (err) {
      throw new RegistryError('E_WEBAUTHN_INVALID', `The security key's answer did not verify: ${(err as Error).message}`);
    }
    if (!verification.verified) throw new RegistryError('E_WEBAUTHN_INVALID', 'The security key\'s answer did not verify.');
    const { newCounter, credentialBackedUp } = verification.authenticationInfo;
    if (!(await this.deps.store.updateCounter(credential.id, newCounter, credentialBackedUp, this.deps.clock.now()))) {
      throw new RegistryError('E_WEBAUTHN_INVALID', 'The security key\'s signature counter went backwards: it may have been cloned.');
    }
    return { ...credential, counter: newCounter, backedUp: credentialBackedUp, userVerified: verification.authenticationInfo.userVerified };
  }

  list(userId: number): Promise<WebAuthnCredentialRecord[]> {
    return this.deps.store.listForUser(userId);
  }

  remove(userId: number, credentialId: string): Promise<boolean> {
    return this.deps.store.remove(userId, credentialId);
  }
}
