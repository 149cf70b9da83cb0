import { createHash } from 'node:crypto';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { RegistryError } from '../domain/errors.js';
import type { Clock } from '../domain/ports.js';
import type { UserRecord } from '../domain/records.js';
import type { WebAuthStore } from '../domain/web-auth-store.js';
import type { WebAuthnCredentialRecord } from '../domain/webauthn-store.js';
import type { AttemptContext } from './second-factor-gate.js';
import type { SecurityNotices } from './security-notices.js';
import type { TotpEnrolment, TotpService } from './totp.js';
import type { CredentialPurpose, WebAuthnService } from './webauthn.js';

const CHALLENGE_TTL_MS = 5 * 60_000;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Adding and removing second factors from the account page (AUTHN-1c, 1d, 2b, 3a). Every change
 * mails the owner and lands in the security log; registration challenges are kept server-side,
 * keyed by the session that asked for them.
 */
export class FactorEnrolment {
  constructor(private readonly deps: { web: WebAuthStore; clock: Clock; totp: TotpService; webauthn: WebAuthnService; notices: SecurityNotices }) {}

  private facts(context: AttemptContext) {
    return { ip: context.ip, userAgent: context.userAgent ?? null };
  }

  beginTotp(user: UserRecord): Promise<TotpEnrolment> {
    return this.deps.totp.beginEnrolment(user);
  }

  /** Confirms the app with a first code; returns the recovery codes (shown once). */
  async confirmTotp(user: UserRecord, code: string, context: AttemptContext): Promise<string[]> {
    const { recoveryCodes } = await this.deps.totp.confirmEnrolment(user.id, code.replace(/\s+/g, ''));
    await this.deps.notices.notify(user, 'mfa-added', { ...this.facts(context), factor: 'authenticator app' }, 'totp-added');
    await this.deps.notices.notify(user, 'recovery-codes-generated', this.facts(context), 'recovery-codes-generated');
    return recoveryCodes;
  }

  async removeTotp(user: UserRecord, context: AttemptContext): Promise<void> {
    if (!(await this.deps.totp.remove(user.id))) throw new RegistryError('E_NOT_FOUND', 'No authenticator app is set up.');
    await this.deps.notices.notify(user, 'mfa-removed', { ...this.facts(context), factor: 'authenticator app' }, 'totp-removed');
  }

  async regenerateRecoveryCodes(user: UserRecord, context: AttemptContext): Promise<string[]> {
    if (!(await this.deps.totp.isEnrolled(user.id))) throw new RegistryError('E_BAD_REQUEST', 'Set up an authenticator app first; recovery codes back it up.');
    const codes = await this.deps.totp.regenerateRecoveryCodes(user.id);
    await this.deps.notices.notify(user, 'recovery-codes-generated', this.facts(context), 'recovery-codes-generated');
    return codes;
  }

  async registrationOptions(sessionId: string, user: UserRecord, purpose: CredentialPurpose): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const options = await this.deps.webauthn.registrationOptions(user, purpose);
    await this.deps.web.putFlow(sha256(`register:${sessionId}:${purpose}`), user.id, options.challenge, new Date(this.deps.clock.now().getTime() + CHALLENGE_TTL_MS));
    return options;
  }

  async register(sessionId: string, user: UserRecord, purpose: CredentialPurpose, name: string, response: RegistrationResponseJSON, context: AttemptContext): Promise<WebAuthnCredentialRecord> {
    const challenge = await this.deps.web.takeFlow(sha256(`register:${sessionId}:${purpose}`), this.deps.clock.now());
    if (!challenge || challenge.userId !== user.id) throw new RegistryError('E_SIGN_IN_EXPIRED', 'The registration challenge expired; try again.');
    const label = name.trim() || (purpose === 'passkey' ? 'passkey' : 'security key');
    const record = await this.deps.webauthn.register(user.id, response, challenge.data, purpose, label);
    const factor = `${purpose === 'passkey' ? 'passkey' : 'security key'} '${record.name}'`;
    if (purpose === 'passkey') await this.deps.notices.notify(user, 'passkey-added', { ...this.facts(context), factor }, 'webauthn-added', { purpose, name: record.name });
    else await this.deps.notices.notify(user, 'mfa-added', { ...this.facts(context), factor }, 'webauthn-added', { purpose, name: record.name });
    return record;
  }

  async removeCredential(user: UserRecord, id: string, context: AttemptContext): Promise<void> {
    const credential = (await this.deps.webauthn.list(user.id)).find((c) => c.id === id);
    if (!credential || !(await this.deps.webauthn.remove(user.id, id))) throw new RegistryError('E_NOT_FOUND', 'No such security key or passkey.');
    const factor = `${credential.discoverable ? 'passkey' : 'security key'} '${credential.name}'`;
    await this.deps.notices.notify(user, 'mfa-removed', { ...this.facts(context), factor }, 'webauthn-removed', { name: credential.name });
  }
}
