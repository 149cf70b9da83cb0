import type { MailMessage } from '../domain/mail.js';

/** Every critical account change that sends mail (AUTHN-1d, anchors 3.7). */
export type SecurityMailKind =
  | 'password-changed'
  | 'password-reset-link'
  | 'password-reset'
  | 'mfa-added'
  | 'mfa-removed'
  | 'recovery-codes-generated'
  | 'recovery-code-used'
  | 'email-changed-old'
  | 'email-changed-new'
  | 'token-created'
  | 'passkey-added'
  | 'new-device-sign-in'
  | 'recovery-started'
  | 'password-leaked'
  | 'verify-email'
  | 'sign-up-email-in-use'
  | 'email-change-link'
  | 'email-in-use'
  | 'token-leaked'
  | 'trusted-publisher-changed';

export interface SecurityMailFacts {
  readonly to: string;
  readonly userName: string;
  /** The registry's name or host, for the subject line. */
  readonly registry: string;
  readonly at: Date;
  /** Where the user reviews their account (not secret). */
  readonly accountUrl: string;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  /** A factor's kind or label: "authenticator app", "security key 'YubiKey'". */
  readonly factor?: string;
  /** Token label and display form (never the token itself). */
  readonly tokenName?: string;
  readonly tokenDisplay?: string;
  /** For email changes: the other address. */
  readonly otherEmail?: string;
  readonly codesLeft?: number;
  /** A single-use link: password reset or recovery. The only secret mail may carry. */
  readonly singleUseLink?: string;
  readonly linkExpiresAt?: Date;
  /** A line of context, e.g. who started an operator-assisted recovery and why. */
  readonly note?: string;
}

const NOT_YOU = 'If this was not you, sign in and secure your account now, and tell the registry operator:';

function where(f: SecurityMailFacts): string[] {
  const lines = [`When: ${f.at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`];
  if (f.ip) lines.push(`From: ${f.ip}`);
  if (f.userAgent) lines.push(`Client: ${f.userAgent.slice(0, 120)}`);
  return lines;
}

function link(f: SecurityMailFacts, what: string): string[] {
  if (!f.singleUseLink) throw new Error(`${what} mail needs its single-use link`);
  const expires = f.linkExpiresAt ? ` It works once and expires at ${f.linkExpiresAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}.` : ' It works once.';
  return [f.singleUseLink, '', `${expires.trim()}`];
}

/** Plain text, short, no secret but a single-use link where the flow needs one. */
export function securityMail(kind: SecurityMailKind, f: SecurityMailFacts): MailMessage {
  const head = `Hello ${f.userName},`;
  const tail = ['', NOT_YOU, f.accountUrl, '', `-- ${f.registry}`];
  const body = (subject: string, lines: string[], withTail = true): MailMessage => ({
    to: f.to, subject: `[${f.registry}] ${subject}`, text: [head, '', ...lines, ...(withTail ? tail : ['', `-- ${f.registry}`])].join('\n') + '\n',
  });
  switch (kind) {
    case 'password-changed':
      return body('Your password was changed', ['The password of your account was changed.', ...where(f)]);
    case 'password-reset':
      return body('Your password was reset', ['The password of your account was reset through a reset link.', ...where(f)]);
    case 'password-reset-link':
      return body('Reset your password', [
        'Someone asked to reset the password of your account. To choose a new password, open:', ...link(f, 'password-reset'),
        '', 'If you did not ask for this, ignore this mail: your password stays as it is.', ...where(f),
      ], false);
    case 'mfa-added':
      return body('A second factor was added', [`A second factor (${f.factor ?? 'unnamed'}) was added to your account.`, ...where(f)]);
    case 'mfa-removed':
      return body('A second factor was removed', [`A second factor (${f.factor ?? 'unnamed'}) was removed from your account.`, ...where(f)]);
    case 'recovery-codes-generated':
      return body('New recovery codes were generated', ['New recovery codes were generated for your account; the old ones no longer work.', ...where(f)]);
    case 'recovery-code-used':
      return body('A recovery code was used', [
        `A recovery code was used to sign in to your account.${f.codesLeft === undefined ? '' : ` ${f.codesLeft} unused code(s) remain.`}`, ...where(f),
      ]);
    case 'email-changed-old':
      return body('Your email address was changed', [
        `The email address of your account was changed from this address to ${f.otherEmail ?? 'another address'}. Mail about your account now goes there.`, ...where(f),
      ]);
    case 'email-changed-new':
      return body('This is now your account\'s email address', [
        `This address now receives mail about your account (it replaced ${f.otherEmail ?? 'the previous address'}).`, ...where(f),
      ]);
    case 'token-created':
      return body('A new access token was created', [
        `A new access token${f.tokenName ? ` "${f.tokenName}"` : ''}${f.tokenDisplay ? ` (${f.tokenDisplay})` : ''} was created for your account.`, ...where(f),
      ]);
    case 'token-leaked':
      return body('An access token of yours was found in public and revoked', [
        `Your access token${f.tokenName ? ` "${f.tokenName}"` : ''}${f.tokenDisplay ? ` (${f.tokenDisplay})` : ''} was reported by a secret scanner and has been revoked; it no longer works.`,
        ...(f.note ? [f.note] : []),
        'Remove it from where it was published, and create a new token if you still need one.',
      ]);
    case 'trusted-publisher-changed':
      return body('The trusted publishers of a package changed', [
        f.note ?? 'A trusted publisher of a package you maintain was added or removed.',
        'If you did not expect this, review the package\'s trusted publishers (npm trust list) now.', ...where(f),
      ]);
    case 'passkey-added':
      return body('A new passkey was added', [`A passkey (${f.factor ?? 'unnamed'}) was added to your account; it can sign in without a password.`, ...where(f)]);
    case 'new-device-sign-in':
      return body('Sign-in from a new device', ['Your account was signed in to from a device or network not seen before.', ...where(f)]);
    case 'recovery-started':
      // Operator-assisted recovery (AUTHN-1b): a notice to the old address; the link goes out separately.
      if (!f.singleUseLink) {
        return body('Account recovery was started', [
          'Recovery of your account was started. Its password, access tokens, sessions and second factors no longer work;',
          `a single-use link to choose a new password was sent to ${f.otherEmail ? `the new address ${f.otherEmail}` : 'this address'}.`,
          ...(f.note ? ['', f.note] : []), ...where(f),
        ]);
      }
      if (f.note) {
        // Operator-assisted recovery, the link itself: nothing of the old credentials works any more.
        return body('Account recovery was started', [
          'Your account was reset by the registry operator: its password, access tokens, sessions and second factors no longer work.',
          'To choose a new password, open:', ...link(f, 'recovery'), '', f.note,
          '', 'If you did not ask for this, tell the registry operator now.', ...where(f),
        ], false);
      }
      return body('Account recovery was started', [
        'Someone started recovering access to your account. To continue, open:', ...link(f, 'recovery'),
        '', 'If you did not ask for this, ignore this mail and consider changing your password.', ...where(f),
      ], false);
    case 'verify-email':
      return body('Confirm your email address', [
        'Welcome! To confirm this address and finish creating your account, open:', ...link(f, 'verify-email'),
        '', 'If you did not sign up, ignore this mail: no account is made with this address without the link.',
      ], false);
    case 'email-change-link':
      // Sent to the new address: only its owner can finish the change.
      return body('Confirm your new email address', [
        `The account ${f.userName} asked to use this address instead of ${f.otherEmail ?? 'its current one'}. To confirm it, open:`, ...link(f, 'email-change'),
        '', 'If you did not ask for this, ignore this mail: nothing changes without the link.', ...where(f),
      ], false);
    case 'email-in-use':
      return body('Someone tried to move another account to your address', [
        'Another account asked to use this email address, which your account already uses. Nothing was changed.', ...where(f),
      ]);
    case 'sign-up-email-in-use':
      return body('Someone tried to sign up with your address', [
        'Someone tried to create a new account with this email address, which your account already uses. No account was made.',
        'If this was you, sign in instead, or reset your password if you forgot it.', ...where(f),
      ]);
    case 'password-leaked':
      return body('Your password appears in a data breach', [
        'The password you signed in with appears in a public list of leaked passwords (it was not leaked by this registry).',
        'You must choose a new password at your next sign-in. Use a password you do not use anywhere else.', ...where(f),
      ]);
  }
}
