import { createHash } from 'node:crypto';
import type { BreachedPasswords } from '../domain/breached-passwords.js';
import { RegistryError } from '../domain/errors.js';
import { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY, normalizePassword, type PasswordContext, type PasswordPolicyOptions } from '../policy/password-policy.js';

export type BreachVerdict = { readonly breached: true; readonly count: number } | { readonly breached: false } | { readonly breached: null; readonly error: string };

export interface PasswordScreeningOptions {
  /** Null: no leaked-password source (mode "off"). */
  readonly breached: BreachedPasswords | null;
  /** Refuse passwords when the source cannot answer (AUTHN-2d operator setting). */
  readonly failClosed: boolean;
  readonly policy?: PasswordPolicyOptions;
  readonly log?: { warn(obj: object, msg: string): void };
}

/** SHA-1 of the UTF-8 bytes, upper-case hex: the Pwned Passwords key. */
export function passwordSha1(password: string): string {
  return createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
}

/**
 * New passwords (sign-up, change, reset) pass the NIST-style policy and the leaked-password
 * check; at sign-in, `checkBreached` after a correct password tells whether to force a change.
 */
export class PasswordScreening {
  constructor(private readonly deps: PasswordScreeningOptions) {}

  /** Looks the (normalised) password up; `breached: null` when the source failed. */
  async checkBreached(password: string, signal?: AbortSignal): Promise<BreachVerdict> {
    if (!this.deps.breached) return { breached: false };
    try {
      const count = await this.deps.breached.count(passwordSha1(normalizePassword(password)), signal);
      return count > 0 ? { breached: true, count } : { breached: false };
    } catch (err) {
      const error = (err as Error)?.message ?? String(err);
      this.deps.log?.warn({ error, failClosed: this.deps.failClosed }, 'leaked-password check unavailable');
      return { breached: null, error };
    }
  }

  /**
   * Throws E_PASSWORD_REJECTED (policy), E_PASSWORD_BREACHED (leaked) or, fail-closed and the
   * source down, E_BREACH_CHECK_UNAVAILABLE. Returns the normalised password: hash that one.
   */
  async assertAcceptable(password: string, context: PasswordContext = {}): Promise<string> {
    const verdict = checkPasswordPolicy(password, context, this.deps.policy ?? DEFAULT_PASSWORD_POLICY);
    if (!verdict.ok) throw new RegistryError('E_PASSWORD_REJECTED', verdict.message);
    const breach = await this.checkBreached(verdict.normalized);
    if (breach.breached === true) {
      throw new RegistryError('E_PASSWORD_BREACHED', 'This password appears in a list of leaked passwords; choose another one.');
    }
    if (breach.breached === null && this.deps.failClosed) {
      throw new RegistryError('E_BREACH_CHECK_UNAVAILABLE', 'The leaked-password check cannot be reached right now; try again later.');
    }
    return verdict.normalized;
  }
}
