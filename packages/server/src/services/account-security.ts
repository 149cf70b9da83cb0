import { createHash, randomBytes } from 'node:crypto';
import { RegistryError, isRegistryError } from '../domain/errors.js';
import type { Clock, MetadataStore } from '../domain/ports.js';
import type { UserRecord } from '../domain/records.js';
import type { AccountLinkPurpose, WebAuthStore } from '../domain/web-auth-store.js';
import type { Accounts } from './accounts.js';
import { hashPassword, verifyPassword } from './password-hashing.js';
import type { PasswordScreening } from './password-screening.js';
import type { SecurityNotices } from './security-notices.js';
import type { SecurityEvents } from './security-events.js';
import type { Throttle } from './throttle.js';
import type { AttemptContext } from './second-factor-gate.js';

export interface AccountLinkSettings {
  readonly verifyEmailMs: number;
  readonly resetMs: number;
}

/**
 * Optional operator hook (AUTHN-1b): may this account be recovered through its email address?
 * False for example when the address's domain has expired and could be re-registered by anyone.
 */
export type CanRecoverByEmail = (user: { id: number; name: string; email: string }) => Promise<boolean>;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const LINK_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** How a mailed link's secret is stored and looked up; null for a secret of the wrong shape. */
export function linkHashOf(secret: string): string | null {
  return LINK_SECRET.test(secret) ? sha256(secret) : null;
}

/**
 * Account self-service behind the web pages (AUTHN-1a, 1b, 1d, 2d): sign-up with email
 * confirmation, password change, and password reset by a mailed link. Mailed links carry 256
 * random bits; only their SHA-256 is stored, each works once and expires.
 */
export class AccountSecurity {
  constructor(private readonly deps: {
    store: MetadataStore; web: WebAuthStore; clock: Clock; accounts: Accounts; passwords: PasswordScreening; notices: SecurityNotices; events: SecurityEvents; throttle: Throttle;
    links: AccountLinkSettings; registration: 'open' | 'closed'; canRecoverByEmail?: CanRecoverByEmail | undefined; serviceWords: readonly string[];
  }) {}

  get registrationOpen(): boolean {
    return this.deps.registration === 'open';
  }

  /** A single-use mailed link: 256 random bits, only the SHA-256 stored. `newEmail` goes with 'change-email'. */
  async newLink(userId: number, purpose: AccountLinkPurpose, ttlMs: number, newEmail?: string): Promise<{ secret: string; expiresAt: Date }> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.deps.web.insertLink({ secretHash: sha256(secret), userId, purpose, createdAt: now, expiresAt, ...(newEmail ? { newEmail } : {}) });
    return { secret, expiresAt };
  }

  /**
   * The current password, asked again before a sensitive change. A stolen session must not become
   * a way to guess the password: the same throttle as sign-in (AUTHN-1e).
   */
  async confirmPassword(user: UserRecord, current: string, context: AttemptContext, via: string): Promise<void> {
    const subject = { account: user.name, ip: context.ip, userId: user.id, userAgent: context.userAgent ?? null };
    await this.deps.throttle.assertAllowed('password', subject);
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, current))) {
      await this.deps.throttle.recordFailure('password', subject, { via });
      throw new RegistryError('E_BAD_CREDENTIALS', 'The current password is not correct.');
    }
    await this.deps.throttle.recordSuccess('password', subject);
  }

  /**
   * Open sign-up (AUTHN-1a). The password passes the policy and leaked-password check; the account
   * cannot sign in until the mailed link is opened. When the email is taken, no account is made
   * and the owner of the address is told instead: the page answers the same either way.
   */
  async signUp(input: { name: string; email: string; password: string }, linkUrl: (secret: string) => string, context: AttemptContext): Promise<void> {
    if (!this.registrationOpen) throw new RegistryError('E_REGISTRATION_CLOSED', 'Registration is closed on this registry; ask an operator for an account.');
    const name = input.name.trim().toLowerCase();
    const email = input.email.trim();
    this.deps.accounts.validateUserName(name);
    const normalized = await this.deps.passwords.assertAcceptable(input.password, { userName: name, email, serviceWords: this.deps.serviceWords });
    const owner = await this.deps.web.findUserIdByEmail(email);
    if (owner !== null) {
      const user = await this.deps.store.findUserById(owner);
      if (user) await this.deps.notices.notify(user, 'sign-up-email-in-use', { ip: context.ip, userAgent: context.userAgent ?? null });
      return;
    }
    let user: UserRecord;
    try {
      user = await this.deps.accounts.createUser({ name, email, password: normalized, isAdmin: false });
    } catch (err) {
      // User names are public (they own packages): saying one is taken reveals nothing private.
      if (isRegistryError(err) && err.code === 'E_USER_EXISTS') throw new RegistryError('E_USER_EXISTS', 'This user name is taken; choose another one.');
      throw err;
    }
    await this.deps.web.setEmailVerified(user.id, null);
    const link = await this.newLink(user.id, 'verify-email', this.deps.links.verifyEmailMs);
    await this.deps.notices.notify(user, 'verify-email', { singleUseLink: linkUrl(link.secret), linkExpiresAt: link.expiresAt });
  }

  /** Opens a verification link once; returns the user whose address is now confirmed. */
  async verifyEmail(secret: string): Promise<UserRecord> {
    const hash = linkHashOf(secret);
    const userId = hash ? await this.deps.web.useLink(hash, 'verify-email', this.deps.clock.now()) : null;
    const user = userId === null ? null : await this.deps.store.findUserById(userId);
    if (!user) throw new RegistryError('E_LINK_INVALID', 'This confirmation link is unknown, used already or expired.');
    await this.deps.web.setEmailVerified(user.id, this.deps.clock.now());
    return user;
  }

  /** Refuses sign-in to a web-made account whose address is not confirmed. */
  async assertMaySignIn(userId: number): Promise<void> {
    const state = await this.deps.web.accountState(userId);
    if (state && state.emailVerifiedAt === null) {
      throw new RegistryError('E_EMAIL_NOT_VERIFIED', 'Confirm your email address first: open the link we mailed you when you signed up.');
    }
  }

  async mustChangePassword(userId: number): Promise<boolean> {
    return (await this.deps.web.accountState(userId))?.mustChangePassword === true;
  }

  /** AUTHN-2d at sign-in: a correct password found in a breach list forces a change, with mail. */
  async flagIfBreached(user: UserRecord, password: string, context: AttemptContext): Promise<boolean> {
    const verdict = await this.deps.passwords.checkBreached(password);
    if (verdict.breached !== true) return this.mustChangePassword(user.id);
    await this.deps.web.setMustChangePassword(user.id, true);
    await this.deps.notices.notify(user, 'password-leaked', { ip: context.ip, userAgent: context.userAgent ?? null }, 'password-leaked');
    return true;
  }

  /** Sets a new password (policy + breach check), mails the owner, clears a forced change. */
  async setPassword(user: UserRecord, password: string, context: AttemptContext, why: 'changed' | 'reset'): Promise<void> {
    const normalized = await this.deps.passwords.assertAcceptable(password, { userName: user.name, email: user.email, serviceWords: this.deps.serviceWords });
    await this.deps.store.updateUserPassword(user.id, await hashPassword(normalized));
    await this.deps.web.setMustChangePassword(user.id, false);
    const facts = { ip: context.ip, userAgent: context.userAgent ?? null };
    if (why === 'reset') await this.deps.notices.notify(user, 'password-reset', facts, 'password-reset');
    else await this.deps.notices.notify(user, 'password-changed', facts, 'password-changed');
  }

  /** Change from the account page: the current password is asked again. */
  async changePassword(user: UserRecord, current: string, next: string, context: AttemptContext): Promise<void> {
    await this.confirmPassword(user, current, context, 'password-change');
    await this.setPassword(user, next, context, 'changed');
  }

  /**
   * Reset request by user name or email. The page answers the same whether or not the account
   * exists; mail goes only to the address on file. Refused (silently to the requester, with a
   * log entry) when the operator's hook says the address can no longer be trusted.
   */
  async requestReset(nameOrEmail: string, linkUrl: (secret: string) => string, context: AttemptContext): Promise<void> {
    const key = nameOrEmail.trim();
    const byEmail = key.includes('@') ? await this.deps.web.findUserIdByEmail(key) : null;
    const user = byEmail !== null ? await this.deps.store.findUserById(byEmail) : await this.deps.store.findUserByName(key.toLowerCase());
    if (!user) return;
    const facts = { ip: context.ip, userAgent: context.userAgent ?? null };
    if (this.deps.canRecoverByEmail && !(await this.deps.canRecoverByEmail(user))) {
      // No mail: the address is what is not trusted any more. The owner sees it in the security log.
      await this.deps.events.recordSecurityEvent(user.id, 'recovery-started', { ...facts, detail: { via: 'email', refused: true } });
      return;
    }
    const link = await this.newLink(user.id, 'reset-password', this.deps.links.resetMs);
    await this.deps.notices.notify(user, 'password-reset-link', { ...facts, singleUseLink: linkUrl(link.secret), linkExpiresAt: link.expiresAt }, 'password-reset-requested');
  }

  /** Whether a reset link is live (the form is shown only then). */
  async resetLinkUser(secret: string): Promise<UserRecord | null> {
    const hash = linkHashOf(secret);
    const userId = hash ? await this.deps.web.peekLink(hash, 'reset-password', this.deps.clock.now()) : null;
    return userId === null ? null : this.deps.store.findUserById(userId);
  }

  /** Uses the link once and sets the new password; other sessions end (the caller does). */
  async resetPassword(secret: string, password: string, context: AttemptContext): Promise<UserRecord> {
    const user = await this.resetLinkUser(secret);
    if (!user) throw new RegistryError('E_LINK_INVALID', 'This reset link is unknown, used already or expired; ask for a new one.');
    if (this.deps.canRecoverByEmail && !(await this.deps.canRecoverByEmail(user))) {
      throw new RegistryError('E_RECOVERY_REFUSED', 'Password reset by email is disabled for this account; use a recovery code or ask an operator.');
    }
    // Check the new password before burning the link, so a refused password can be retried.
    await this.deps.passwords.assertAcceptable(password, { userName: user.name, email: user.email, serviceWords: this.deps.serviceWords });
    if ((await this.deps.web.useLink(sha256(secret), 'reset-password', this.deps.clock.now())) !== user.id) {
      throw new RegistryError('E_LINK_INVALID', 'This reset link is unknown, used already or expired; ask for a new one.');
    }
    await this.setPassword(user, password, context, 'reset');
    return user;
  }
}
