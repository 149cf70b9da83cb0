/**
 * NIST SP 800-63B (rev. 4, 3.1.1.2) password rules: length, not composition. Every printable
 * character and Unicode is allowed; the password is NFKC-normalised so the same password typed
 * on two keyboards is the same secret; context words (the user name, the email's local part,
 * the registry's name) are refused, as are very repetitive strings. Leaked passwords are
 * refused separately (AUTHN-2d).
 */
export interface PasswordPolicyOptions {
  /** Minimum length in characters (code points) after normalisation. NIST: at least 8; 15 when the password is the only factor. */
  readonly minLength: number;
  /** Maximum length; NIST asks to allow at least 64. */
  readonly maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicyOptions = { minLength: 10, maxLength: 256 };

export interface PasswordContext {
  readonly userName?: string | null;
  readonly email?: string | null;
  /** Words of this service (registry name, host) that must not appear. */
  readonly serviceWords?: readonly string[];
}

export type PasswordRuleViolation = 'too-short' | 'too-long' | 'control-characters' | 'context-word' | 'repetitive';

export type PasswordPolicyVerdict =
  | { readonly ok: true; readonly normalized: string }
  | { readonly ok: false; readonly violation: PasswordRuleViolation; readonly message: string };

/** NFKC, as NIST recommends, before hashing, checking length and checking breach lists. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

// Control characters (C0, DEL, C1): not typeable, usually a paste or encoding accident.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

function contextWords(context: PasswordContext): string[] {
  const words = new Set<string>();
  const add = (word: string | null | undefined) => {
    const w = word?.normalize('NFKC').toLowerCase().trim();
    if (w && [...w].length >= 4) words.add(w);
  };
  add(context.userName);
  add(context.email);
  add(context.email?.split('@')[0]);
  for (const word of context.serviceWords ?? []) add(word);
  return [...words];
}

export function checkPasswordPolicy(password: string, context: PasswordContext = {}, options: PasswordPolicyOptions = DEFAULT_PASSWORD_POLICY): PasswordPolicyVerdict {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < options.minLength) {
    return { ok: false, violation: 'too-short', message: `Passwords must be at least ${options.minLength} characters long.` };
  }
  if (length > options.maxLength) {
    return { ok: false, violation: 'too-long', message: `Passwords may be at most ${options.maxLength} characters long.` };
  }
  if (CONTROL.test(normalized)) {
    return { ok: false, violation: 'control-characters', message: 'Passwords must not contain control characters.' };
  }
  const lower = normalized.toLowerCase();
  for (const word of contextWords(context)) {
    // The password is (nearly) a context word: what remains besides it is too short to protect it.
    if (lower.includes(word) && [...lower.replace(word, '')].length < options.minLength) {
      return { ok: false, violation: 'context-word', message: 'The password must not be built from your user name, your email address or the registry\'s name.' };
    }
  }
  if (new Set(lower).size < 4) {
    return { ok: false, violation: 'repetitive', message: 'The password repeats too few different characters.' };
  }
  return { ok: true, normalized };
}
