import { createHash, randomBytes } from 'node:crypto';
import type { AccountRecoveryStore } from '../domain/account-recovery-store.js';
import { RegistryError } from '../domain/errors.js';
import type { Clock, MetadataOps } from '../domain/ports.js';
import type { UserRecord } from '../domain/records.js';
import type { TotpStore } from '../domain/totp-store.js';
import type { WebAuthnCredentialStore } from '../domain/webauthn-store.js';
import type { SecurityNotices } from './security-notices.js';

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

export interface OperatorRecoveryRequest {
  readonly userName: string;
  /** Why (the support ticket, how identity was confirmed); recorded in the security log and the mail. */
  readonly reason: string;
  /** Who did it, as recorded. */
  readonly operator: string;
  /** The address the reset link goes to, replacing the account's (lost or abandoned) address. */
  readonly newEmail?: string | null;
}

export interface OperatorRecoveryResult {
  readonly user: string;
  readonly oldEmail: string;
  /** Where the single-use link was mailed. */
  readonly linkSentTo: string;
  readonly linkExpiresAt: Date;
  readonly tokensRevoked: number;
  readonly sessionsEnded: number;
  readonly totpRemoved: boolean;
  readonly webauthnRemoved: number;
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * AUTHN-1b operator-assisted recovery, the documented way (docs/account-recovery.md): every
 * credential of the account stops working (password, tokens, sessions, TOTP and recovery codes,
 * WebAuthn credentials), a single-use link to choose a new password is mailed to the account's
 * address (or a new one the operator sets), and the old address is told, with the reason; the
 * security log records who did it and why. Nothing about it is silent.
 */
export class OperatorRecovery {
  constructor(private readonly deps: {
    metadata: MetadataOps;
    store: AccountRecoveryStore;
    totp: TotpStore;
    webauthn: WebAuthnCredentialStore;
    notices: SecurityNotices;
    clock: Clock;
    /** The page that takes the link's token (`?token=`), e.g. https://registry.example/-/ui/recover. */
    linkBaseUrl: string;
    linkTtlMs: number;
  }) {}

  async recover(request: OperatorRecoveryRequest): Promise<OperatorRecoveryResult> {
    const reason = request.reason.trim();
    if (reason.length < 3) throw new RegistryError('E_BAD_REQUEST', 'A recovery needs a reason (how the person was identified, the ticket).');
    const newEmail = request.newEmail?.trim() || null;
    if (newEmail !== null && (!EMAIL.test(newEmail) || newEmail.length > 254)) throw new RegistryError('E_BAD_REQUEST', `"${newEmail.slice(0, 60)}" is not an email address.`);
    const user = await this.deps.metadata.findUserByName(request.userName);
    if (!user) throw new RegistryError('E_USER_NOT_FOUND', `No user named "${request.userName.slice(0, 80)}".`);
    const now = this.deps.clock.now();

    // 1. Every way in closes first, so whoever holds an old credential is out before any mail leaves.
    let tokensRevoked = 0;
    for (const token of await this.deps.metadata.listTokens(user.id)) {
      if (!token.revokedAt && (await this.deps.metadata.revokeToken(token.id, now))) tokensRevoked += 1;
    }
    const sessionsEnded = await this.deps.metadata.deleteWebSessionsOf(user.id, null);
    const totpRemoved = await this.deps.totp.remove(user.id);
    await this.deps.totp.replaceRecoveryCodes(user.id, [], now);
    let webauthnRemoved = 0;
    for (const credential of await this.deps.webauthn.listForUser(user.id)) {
      if (await this.deps.webauthn.remove(user.id, credential.id)) webauthnRemoved += 1;
    }
    await this.deps.store.clearPassword(user.id, now);
    if (newEmail !== null) await this.deps.store.setEmail(user.id, newEmail, now);

    // 2. One live link at a time.
    await this.deps.store.expireLinksOf(user.id, now);
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.deps.linkTtlMs);
    const to = newEmail ?? user.email;
    await this.deps.store.insertLink({ tokenHash: sha256(secret), userId: user.id, email: to, createdAt: now, expiresAt, usedAt: null });
    const link = new URL(this.deps.linkBaseUrl);
    link.searchParams.set('token', secret);

    // 3. The audit record and the mail: the old address always hears of it, with the reason; the link goes to `to`.
    const detail = { operator: request.operator.slice(0, 100), reason: reason.slice(0, 300), newEmail, tokensRevoked, sessionsEnded, totpRemoved, webauthnRemoved };
    const note = `Recovery by the registry operator (${detail.operator}): ${detail.reason}`;
    const withLink = { note, singleUseLink: link.href, linkExpiresAt: expiresAt };
    if (newEmail === null) {
      await this.deps.notices.notify(user, 'recovery-started', withLink, 'recovery-started', detail);
    } else {
      await this.deps.notices.notify(user, 'recovery-started', { note, otherEmail: newEmail }, 'recovery-started', detail);
      await this.deps.notices.notify({ ...user, email: newEmail }, 'recovery-started', withLink);
    }
    return { user: user.name, oldEmail: user.email, linkSentTo: to, linkExpiresAt: expiresAt, tokensRevoked, sessionsEnded, totpRemoved, webauthnRemoved };
  }

  /** The user a live link belongs to, without spending it (the reset page shows its form with this). */
  async checkLink(secret: string): Promise<UserRecord> {
    const link = await this.deps.store.findLiveLink(sha256(secret), this.deps.clock.now());
    return this.userOf(link?.userId ?? null);
  }

  /**
   * Spends a recovery link (the reset page calls this before it sets the new password): the user
   * it belongs to, or E_RECOVERY_LINK_INVALID when it is unknown, used or expired.
   */
  async consumeLink(secret: string): Promise<UserRecord> {
    const link = await this.deps.store.consumeLink(sha256(secret), this.deps.clock.now());
    return this.userOf(link?.userId ?? null);
  }

  private async userOf(userId: number | null): Promise<UserRecord> {
    const user = userId === null ? null : await this.deps.metadata.findUserById(userId);
    if (!user) throw new RegistryError('E_RECOVERY_LINK_INVALID', 'This recovery link is unknown, was already used, or has expired; ask the registry operator for a new one.');
    return user;
  }
}
