/**
 * Leaked-password lookups (AUTHN-2d) by SHA-1, the Pwned Passwords key. `count` is how often the
 * hash was seen in breaches: 0 means not found. Throws when the source cannot answer.
 */
export interface BreachedPasswords {
  /** `sha1` is 40 upper-case hex characters. */
  count(sha1: string, signal?: AbortSignal): Promise<number>;
}
