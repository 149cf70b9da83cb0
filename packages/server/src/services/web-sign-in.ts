import { createHash } from 'node:crypto';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { RegistryError, isRegistryError } from '../domain/errors.js';
import type { Clock, MetadataStore } from '../domain/ports.js';
import type { UserRecord } from '../domain/records.js';
import type { WebAuthStore } from '../domain/web-auth-store.js';
import type { ApprovalFactor } from '../domain/web-otp.js';
import type { AccountSecurity } from './account-security.js';
import type { Accounts } from './accounts.js';
import type { AttemptContext, SecondFactorGate } from './second-factor-gate.js';
import type { SecurityEvents } from './security-events.js';
import type { SecurityNotices } from './security-notices.js';
import type { Throttle } from './throttle.js';
import type { TotpService } from './totp.js';
import type { WebAuthnService } from './webauthn.js';

/** How long the second-factor step (and any WebAuthn challenge) waits after the password step. */
const STEP_TTL_MS = 5 * 60_000;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Which factors a user has, for the second-factor page. */
export interface FactorSummary {
  readonly totp: boolean;
  readonly webauthn: number;
  readonly recoveryCodes: number;
}

/** Where a sign-in stands after a step. `aal` 2: a second factor (or a passkey) was passed. */
export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly user: UserRecord; readonly aal: 1 | 2 }
  | { readonly kind: 'second-factor'; readonly factors: FactorSummary }
  | { readonly kind: 'change-password' };

interface PendingSignIn {
  readonly stage: 'second-factor' | 'change-password';
  readonly aal: 1 | 2;
}

/**
 * Who owns a short-lived flow: a browser before sign-in (the random value of its flow cookie) or
 * a signed-in session (its id). Keys are stored as SHA-256, so the table does not hand out flows.
 */
export type FlowOwner = { readonly flow: string } | { readonly session: string };

const keyOf = (owner: FlowOwner, slot: string): string => sha256('flow' in owner ? `flow:${owner.flow}:${slot}` : `session:${owner.session}:${slot}`);

/**
 * The web sign-in (AUTHN-1c, 1e, 2b, 2d, 3a): password, then a second factor when the user has
 * one (TOTP, recovery code, security key or passkey), or a passkey alone. Every check goes through
 * the throttle and is logged; WebAuthn challenges stay server-side, tied to the browser's flow or
 * session. A breached password forces a change before a session is issued.
 */
export class WebSignIn {
  constructor(private readonly deps: {
    store: MetadataStore; web: WebAuthStore; clock: Clock; accounts: Accounts; account: AccountSecurity; throttle: Throttle;
    gate: SecondFactorGate; totp: TotpService; webauthn: WebAuthnService; events: SecurityEvents; notices: SecurityNotices;
  }) {}

  async factors(userId: number): Promise<FactorSummary> {
    const [totp, keys, codes] = await Promise.all([this.deps.totp.isEnrolled(userId), this.deps.webauthn.list(userId), this.deps.totp.countRecoveryCodes(userId)]);
    return { totp, webauthn: keys.length, recoveryCodes: codes };
  }

  private async savePending(owner: FlowOwner, userId: number, pending: PendingSignIn): Promise<void> {
    await this.deps.web.putFlow(keyOf(owner, 'sign-in'), userId, JSON.stringify(pending), new Date(this.deps.clock.now().getTime() + STEP_TTL_MS));
  }

  /** The user and stage of a pending sign-in, or E_SIGN_IN_EXPIRED. */
  async pending(owner: FlowOwner): Promise<{ user: UserRecord; stage: PendingSignIn['stage']; factors: FactorSummary }> {
    const flow = await this.deps.web.getFlow(keyOf(owner, 'sign-in'), this.deps.clock.now());
    const user = flow?.userId ? await this.deps.store.findUserById(flow.userId) : null;
    if (!flow || !user) throw new RegistryError('E_SIGN_IN_EXPIRED', 'The sign-in expired or was not started in this browser; sign in again.');
    return { user, stage: (JSON.parse(flow.data) as PendingSignIn).stage, factors: await this.factors(user.id) };
  }

  /** Step 1: the password, throttled per account and address; failures land in the security log. */
  async password(owner: FlowOwner, name: string, password: string, context: AttemptContext): Promise<SignInOutcome> {
    const known = await this.deps.store.findUserByName(name);
    const subject = { account: name, ip: context.ip, userId: known?.id ?? null, userAgent: context.userAgent ?? null };
    await this.deps.throttle.assertAllowed('password', subject);
    let user: UserRecord;
    try {
      user = await this.deps.accounts.checkPassword(name, password);
    } catch (err) {
      if (isRegistryError(err) && err.code === 'E_BAD_CREDENTIALS') await this.deps.throttle.recordFailure('password', subject, { via: 'web' });
      throw err;
    }
    await this.deps.throttle.recordSuccess('password', subject);
    await this.deps.account.assertMaySignIn(user.id);
    const mustChange = await this.deps.account.flagIfBreached(user, password, context);
    const factors = await this.factors(user.id);
    if (factors.totp || factors.webauthn > 0) {
      await this.savePending(owner, user.id, { stage: 'second-factor', aal: 1 });
      return { kind: 'second-factor', factors };
    }
    if (mustChange) {
      await this.savePending(owner, user.id, { stage: 'change-password', aal: 1 });
      return { kind: 'change-password' };
    }
    return { kind: 'signed-in', user, aal: 1 };
  }

  /** After a passed second factor: on to a forced password change, or signed in at AAL2. */
  private async afterSecondFactor(owner: FlowOwner, user: UserRecord): Promise<SignInOutcome> {
    if (await this.deps.account.mustChangePassword(user.id)) {
      await this.savePending(owner, user.id, { stage: 'change-password', aal: 2 });
      return { kind: 'change-password' };
    }
    await this.deps.web.takeFlow(keyOf(owner, 'sign-in'), this.deps.clock.now());
    return { kind: 'signed-in', user, aal: 2 };
  }

  private async secondFactorUser(owner: FlowOwner): Promise<UserRecord> {
    const { user, stage } = await this.pending(owner);
    if (stage !== 'second-factor') throw new RegistryError('E_SIGN_IN_EXPIRED', 'This sign-in is past the second-factor step.');
    return user;
  }

  async totp(owner: FlowOwner, code: string, context: AttemptContext): Promise<SignInOutcome> {
    const user = await this.secondFactorUser(owner);
    await this.deps.gate.checkTotp(user, code.replace(/\s+/g, ''), context);
    return this.afterSecondFactor(owner, user);
  }

  async recoveryCode(owner: FlowOwner, code: string, context: AttemptContext): Promise<SignInOutcome> {
    const user = await this.secondFactorUser(owner);
    await this.deps.gate.checkRecoveryCode(user, code, context);
    return this.afterSecondFactor(owner, user);
  }

  /** The forced change after a breached password; the session follows at the AAL reached. */
  async changeForcedPassword(owner: FlowOwner, password: string, context: AttemptContext): Promise<SignInOutcome> {
    const flow = await this.deps.web.getFlow(keyOf(owner, 'sign-in'), this.deps.clock.now());
    const user = flow?.userId ? await this.deps.store.findUserById(flow.userId) : null;
    const pending = flow ? (JSON.parse(flow.data) as PendingSignIn) : null;
    if (!user || pending?.stage !== 'change-password') throw new RegistryError('E_SIGN_IN_EXPIRED', 'The sign-in expired; sign in again.');
    await this.deps.account.setPassword(user, password, context, 'changed');
    await this.deps.web.takeFlow(keyOf(owner, 'sign-in'), this.deps.clock.now());
    return { kind: 'signed-in', user, aal: pending.aal };
  }

  // --- WebAuthn assertions: second factor, passwordless passkey, fresh approval ---

  /** Options for an assertion; the challenge is stored for `owner` under `slot`. */
  async assertionOptions(owner: FlowOwner, slot: string, userId: number | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await this.deps.webauthn.authenticationOptions(userId);
    await this.deps.web.putFlow(keyOf(owner, `challenge:${slot}`), userId, options.challenge, new Date(this.deps.clock.now().getTime() + STEP_TTL_MS));
    return options;
  }

  /** Verifies an assertion against the stored challenge (single use): the factor and its owner. */
  async verifyAssertion(owner: FlowOwner, slot: string, userId: number | null, response: AuthenticationResponseJSON, context: AttemptContext): Promise<{ user: UserRecord; factor: ApprovalFactor; aaguid: string }> {
    const challenge = await this.deps.web.takeFlow(keyOf(owner, `challenge:${slot}`), this.deps.clock.now());
    if (!challenge || challenge.userId !== userId) throw new RegistryError('E_SIGN_IN_EXPIRED', 'The security key challenge expired; try again.');
    const subjectUser = userId === null ? null : await this.deps.store.findUserById(userId);
    const subject = { account: subjectUser?.name ?? '(passkey)', ip: context.ip, userId, userAgent: context.userAgent ?? null };
    await this.deps.throttle.assertAllowed('second-factor', subject);
    let credential;
    try {
      credential = await this.deps.webauthn.authenticate(response, challenge.data, userId);
    } catch (err) {
      if (isRegistryError(err)) await this.deps.throttle.recordFailure('second-factor', subject, { factor: 'webauthn', reason: err.code });
      throw err;
    }
    await this.deps.throttle.recordSuccess('second-factor', subject);
    const user = await this.deps.store.findUserById(credential.userId);
    if (!user) throw new RegistryError('E_WEBAUTHN_INVALID', 'This credential belongs to no account.');
    return { user, factor: credential.discoverable ? 'passkey' : 'security-key', aaguid: credential.aaguid.toLowerCase() };
  }

  async secondFactorOptions(owner: FlowOwner): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const user = await this.secondFactorUser(owner);
    return this.assertionOptions(owner, 'second-factor', user.id);
  }

  async secondFactorWebAuthn(owner: FlowOwner, response: AuthenticationResponseJSON, context: AttemptContext): Promise<SignInOutcome> {
    const user = await this.secondFactorUser(owner);
    await this.verifyAssertion(owner, 'second-factor', user.id, response, context);
    return this.afterSecondFactor(owner, user);
  }

  /** Passwordless: a discoverable passkey with user verification is a whole sign-in (AAL2). */
  passkeyOptions(owner: FlowOwner): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.assertionOptions(owner, 'passkey', null);
  }

  async passkey(owner: FlowOwner, response: AuthenticationResponseJSON, context: AttemptContext): Promise<SignInOutcome> {
    const { user, factor } = await this.verifyAssertion(owner, 'passkey', null, response, context);
    if (factor !== 'passkey') throw new RegistryError('E_WEBAUTHN_INVALID', 'This security key is not a passkey; sign in with your password first.');
    await this.deps.account.assertMaySignIn(user.id);
    return { kind: 'signed-in', user, aal: 2 };
  }

  /**
   * Records the sign-in and, when this browser (its device cookie) is new for an account that
   * signed in elsewhere before, mails the owner (AUTHN-1d).
   */
  async signedIn(user: UserRecord, method: string, device: string, context: AttemptContext): Promise<void> {
    const facts = { ip: context.ip, userAgent: context.userAgent ?? null };
    const isNew = await this.deps.web.rememberDevice(user.id, sha256(device), this.deps.clock.now());
    await this.deps.events.recordSecurityEvent(user.id, 'sign-in', { ...facts, detail: { method } });
    if (isNew && (await this.deps.web.countDevices(user.id)) > 1) {
      await this.deps.notices.notify(user, 'new-device-sign-in', facts, 'sign-in-new-device', { method });
    }
  }
}
