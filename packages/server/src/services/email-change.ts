import { RegistryError } from '../domain/errors.js';
import type { Clock, MetadataStore } from '../domain/ports.js';
import type { UserRecord } from '../domain/records.js';
import type { WebAuthStore } from '../domain/web-auth-store.js';
import { linkHashOf, type AccountSecurity, type CanRecoverByEmail } from './account-security.js';
import type { Accounts } from './accounts.js';
import type { AttemptContext } from './second-factor-gate.js';
import type { SecurityNotices } from './security-notices.js';

/**
 * Changing an account's email address (AUTHN-1a, 1d; anchors 3.7). The address is a recovery
 * channel, so: the current password first; the change happens only when the link mailed to the
 * new address is opened (single use, expires); then both the old and the new address are told.
 * An address that belongs to another account is never revealed to the asker: the page answers the
 * same, and that account's owner is told instead. A new address whose domain is known abandoned is
 * refused (AUTHN-2a): it would be a recovery channel anyone can buy.
 */
export class EmailChange {
  constructor(private readonly deps: {
    store: MetadataStore; web: WebAuthStore; clock: Clock; accounts: Pick<Accounts, 'validateEmail'>; account: Pick<AccountSecurity, 'confirmPassword' | 'newLink'>;
    notices: SecurityNotices; linkTtlMs: number; canRecoverByEmail?: CanRecoverByEmail | undefined;
  }) {}

  /** Mails a confirmation link to `newEmail`; the address on file stays until the link is opened. */
  async request(user: UserRecord, currentPassword: string, newEmail: string, linkUrl: (secret: string) => string, context: AttemptContext): Promise<void> {
    const email = newEmail.trim();
    this.deps.accounts.validateEmail(email);
    await this.deps.account.confirmPassword(user, currentPassword, context, 'email-change');
    if (email.toLowerCase() === user.email.toLowerCase()) throw new RegistryError('E_BAD_REQUEST', 'This is already your account\'s address.');
    if (this.deps.canRecoverByEmail && !(await this.deps.canRecoverByEmail({ ...user, email }))) {
      throw new RegistryError('E_EMAIL_DOMAIN_ABANDONED', `The domain of ${email} appears to be abandoned: anyone could register it and receive your account's mail. Choose an address at another domain.`);
    }
    const facts = { ip: context.ip, userAgent: context.userAgent ?? null };
    const owner = await this.deps.web.findUserIdByEmail(email);
    if (owner !== null && owner !== user.id) {
      const other = await this.deps.store.findUserById(owner);
      if (other) await this.deps.notices.notify(other, 'email-in-use', facts);
      return;
    }
    const { secret, expiresAt } = await this.deps.account.newLink(user.id, 'change-email', this.deps.linkTtlMs, email);
    await this.deps.notices.notify(user, 'email-change-link', { ...facts, to: email, otherEmail: user.email, singleUseLink: linkUrl(secret), linkExpiresAt: expiresAt },
      'email-change-requested', { to: email });
  }

  /** Opens the link once: the address changes, counts as verified, and both addresses get mail. */
  async confirm(secret: string, context: AttemptContext): Promise<UserRecord> {
    const now = this.deps.clock.now();
    const hash = linkHashOf(secret);
    const link = hash ? await this.deps.web.useEmailChangeLink(hash, now) : null;
    const user = link ? await this.deps.store.findUserById(link.userId) : null;
    if (!link || !user) throw new RegistryError('E_LINK_INVALID', 'This confirmation link is unknown, used already or expired; ask for the change again.');
    const owner = await this.deps.web.findUserIdByEmail(link.newEmail);
    if (owner !== null && owner !== user.id) throw new RegistryError('E_LINK_INVALID', 'This address now belongs to another account; nothing was changed.');
    const old = user.email;
    await this.deps.web.setUserEmail(user.id, link.newEmail, now);
    await this.deps.web.setEmailVerified(user.id, now);
    const facts = { ip: context.ip, userAgent: context.userAgent ?? null };
    await this.deps.notices.notify({ ...user, email: old }, 'email-changed-old', { ...facts, otherEmail: link.newEmail }, 'email-changed', { from: old, to: link.newEmail });
    await this.deps.notices.notify({ ...user, email: link.newEmail }, 'email-changed-new', { ...facts, otherEmail: old });
    return { ...user, email: link.newEmail };
  }
}
