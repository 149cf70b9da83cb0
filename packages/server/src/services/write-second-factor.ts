import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import type { PackageSecuritySettingsStore } from '../domain/package-security-settings.js';
import { WEB_OTP_PREFIX, type WebOtpApprovals } from '../domain/web-otp.js';
import type { ApprovingFactor } from '../policy/critical-authenticator.js';
import { enforce } from '../policy/decision.js';
import { BROWSER_HINT, asksFactorWheneverEnrolled, decidePresentedFactor, decideSecondFactorNeed, type MfaMode, type SecondFactorNeed, type WriteAction } from '../policy/mfa-policy.js';
import type { CriticalPackages } from './critical-packages.js';
import type { SecondFactorGate } from './second-factor-gate.js';
import type { TotpService } from './totp.js';

/** The second factor that came with a request (`npm-otp`), and where it came from. */
export interface PresentedSecondFactor {
  readonly otp: string | null;
  readonly ip: string;
  readonly userAgent: string | null;
  /** The registry's base URL as the client sees it, for the web approval links. */
  readonly baseUrl: string;
}

export interface WriteIntent {
  readonly action: WriteAction;
  /** The package written to, when there is one: decides "critical" and trusted-publishing-only. */
  readonly packageName?: string;
  /** What the approval page shows, e.g. "publish @acme/core". */
  readonly what: string;
  /** Ask for a second factor whatever the mode and token (e.g. minting an automation token). */
  readonly alwaysNeedsFactor?: boolean;
}

export interface WriteSecondFactorOptions {
  readonly mode: MfaMode;
  readonly automationTokensOnCritical: boolean;
  readonly criticalAaguids: readonly string[];
  readonly totp: Pick<TotpService, 'isEnrolled'>;
  readonly webauthn: { list(userId: number): Promise<readonly unknown[]> };
  readonly gate: Pick<SecondFactorGate, 'checkTotp' | 'checkRecoveryCode'>;
  readonly critical: Pick<CriticalPackages, 'isCritical'>;
  readonly settings: Pick<PackageSecuritySettingsStore, 'get'>;
}

const TOTP_SHAPE = /^\d{6}$/;

/**
 * MFA enforcement for every write (AUTHN-2c, 3b, 3c) with npm's OTP protocol (npm-registry-api.md
 * 1.4): the pure decider says what the write needs; this checks the `npm-otp` code (TOTP and
 * recovery codes through the throttled, logged, replay-proof gate; `bwa_` codes through the web
 * approvals) or answers with the 401 `WWW-Authenticate: OTP` challenge, carrying
 * `authUrl`/`doneUrl` when browser approval is available. Also the per-package
 * trusted-publishing-only switch (AUTHZ-3a), since it is a rule about the publishing credential.
 */
export class WriteSecondFactor {
  constructor(private readonly deps: WriteSecondFactorOptions) {}

  /** Throws unless the write may go on; returns the factor checked, or null when none was needed. */
  async assertWrite(actor: Actor, presented: PresentedSecondFactor, intent: WriteIntent, webOtp?: WebOtpApprovals): Promise<ApprovingFactor | null> {
    if (actor.kind !== 'user') return null; // the service refuses anonymous writes with its own message
    const token = actor.via === 'token' ? actor.token : null;
    if (intent.action === 'publish' && intent.packageName && !token?.trustedPublisher && (await this.deps.settings.get(intent.packageName)).trustedPublishingOnly) {
      throw new RegistryError('E_TRUSTED_PUBLISHING_REQUIRED', `${intent.packageName} accepts new versions only from its trusted publisher (npm publish from its CI workflow with OIDC), not from tokens.`);
    }
    const mode = intent.alwaysNeedsFactor ? 'all-writes' : this.deps.mode;
    if (mode === 'off' && !asksFactorWheneverEnrolled(intent.action)) return null;
    const need = decideSecondFactorNeed({
      mode,
      action: intent.action,
      critical: intent.packageName !== undefined && (await this.deps.critical.isCritical(intent.packageName)),
      via: actor.via,
      bypass2fa: !intent.alwaysNeedsFactor && (token?.bypass2fa ?? false),
      trustedPublisher: token?.trustedPublisher != null,
      enrolled: { totp: await this.deps.totp.isEnrolled(actor.user.id), webauthn: (await this.deps.webauthn.list(actor.user.id)).length > 0 },
      automationTokensOnCritical: this.deps.automationTokensOnCritical,
    });
    if (need.kind === 'none') return null;
    if (need.kind === 'refuse') throw new RegistryError(need.code, need.message);
    const otp = presented.otp?.trim() || null;
    if (otp === null || (need.kind === 'phishing-resistant' && !otp.startsWith(WEB_OTP_PREFIX))) {
      throw await this.challenge(actor.user.id, need, presented, intent, webOtp, otp !== null);
    }
    const factor = await this.check(actor.user, otp, presented, webOtp);
    enforce(decidePresentedFactor(need, factor, this.deps.criticalAaguids));
    return factor;
  }

  /** The refusal that asks for a (better) factor: npm's OTP challenge, with browser approval links when available. */
  private async challenge(userId: number, need: SecondFactorNeed, presented: PresentedSecondFactor, intent: WriteIntent, webOtp: WebOtpApprovals | undefined, codeGiven: boolean): Promise<RegistryError> {
    // npm follows browser links instead of prompting when they are offered, so they are offered
    // where a browser is the way: a security key or passkey exists, or the write needs one. A
    // TOTP-only user keeps npm's "Enter OTP" prompt.
    const browserWay = need.kind === 'phishing-resistant' || (await this.deps.webauthn.list(userId)).length > 0;
    const fields = webOtp && browserWay ? await webOtp.start(userId, intent.what, presented.baseUrl, { phishingResistant: need.kind === 'phishing-resistant' }) : undefined;
    if (need.kind === 'phishing-resistant') {
      const how = fields ? `${BROWSER_HINT}: ${fields.authUrl}` : 'approve it with a security key in the web UI';
      const message = `This package is critical: ${codeGiven ? 'a one-time code is not enough' : 'this write needs a security key or passkey'}; ${how}.`;
      // Without a code npm can still follow the links (401 + OTP); with a TOTP code it must stop.
      if (codeGiven || !fields) return new RegistryError('E_PHISHING_RESISTANT_REQUIRED', message, fields ? { fields: { ...fields } } : undefined);
      return new RegistryError('E_OTP_REQUIRED', message, { headers: { 'www-authenticate': 'OTP' }, fields: { ...fields } });
    }
    if (intent.action === 'login') {
      const how = fields ? `, or approve the sign-in in the browser: ${fields.authUrl}` : ' (or a recovery code)';
      return new RegistryError('E_OTP_REQUIRED', `This account has two-factor authentication: enter the one-time password from your authenticator app${how}.`, { headers: { 'www-authenticate': 'OTP' }, ...(fields ? { fields: { ...fields } } : {}) });
    }
    const message = fields
      ? `This operation requires a one-time password: pass --otp=<code> from your authenticator app, or approve it in the browser: ${fields.authUrl}`
      : 'This operation requires a one-time password from your authenticator app: pass --otp=<code> (or a recovery code).';
    return new RegistryError('E_OTP_REQUIRED', message, { headers: { 'www-authenticate': 'OTP' }, ...(fields ? { fields: { ...fields } } : {}) });
  }

  private async check(user: { id: number; name: string; email: string }, otp: string, presented: PresentedSecondFactor, webOtp: WebOtpApprovals | undefined): Promise<ApprovingFactor> {
    const context = { ip: presented.ip, userAgent: presented.userAgent };
    if (otp.startsWith(WEB_OTP_PREFIX)) {
      const approval = webOtp ? await webOtp.consume(user.id, otp) : null;
      if (!approval) throw new RegistryError('E_OTP_INVALID', 'The browser approval code is unknown, expired or used already; approve the operation again.');
      if (approval.factor === 'security-key' || approval.factor === 'passkey') return { kind: 'webauthn', ...(approval.aaguid ? { aaguid: approval.aaguid } : {}) };
      return { kind: approval.factor };
    }
    if (TOTP_SHAPE.test(otp)) {
      await this.deps.gate.checkTotp(user, otp, context);
      return { kind: 'totp' };
    }
    await this.deps.gate.checkRecoveryCode(user, otp, context);
    return { kind: 'recovery-code' };
  }
}
