/**
 * AUTHN-2a: is an email domain abandoned (expired, re-registrable)? Whoever registers such a
 * domain again receives the account's password-reset mail, so recovery by mail through it is refused.
 */

/** abandoned: the lookup proved it; active: it has name servers or mail exchangers; unknown: no answer (never a reason to refuse). */
export type DomainVerdict = 'abandoned' | 'active' | 'unknown';

export interface DomainCheckResult {
  readonly verdict: DomainVerdict;
  /** Why, in a few words: "NXDOMAIN", "no NS and no MX", "RDAP status pending delete", "SERVFAIL". */
  readonly reason: string;
}

/** The port: one question to DNS (and RDAP where configured) per domain. */
export interface EmailDomainChecker {
  check(domain: string): Promise<DomainCheckResult>;
  /** Ends lookups in flight (they answer "unknown"), for shutdown. */
  cancel?(): void;
}

/** The stored verdict for one domain. `checkedAt`: the last definitive answer; `attemptedAt`: the last try. */
export interface DomainStatusRecord {
  readonly domain: string;
  readonly verdict: DomainVerdict;
  readonly reason: string;
  readonly checkedAt: Date | null;
  readonly attemptedAt: Date;
}

export interface EmailDomainStore {
  /** The distinct domains of every registered user's email address, lower-case. */
  listRegisteredDomains(): Promise<string[]>;
  find(domain: string): Promise<DomainStatusRecord | null>;
  save(record: DomainStatusRecord): Promise<void>;
  list(): Promise<DomainStatusRecord[]>;
}

/** The domain part of an address, lower-case, without a trailing dot; null when there is none. */
export function emailDomainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  const domain = email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain) || /^xn--/.test(domain) ? domain : null;
}

/**
 * What the next check decides, given the stored record: a definitive answer replaces the verdict;
 * "unknown" (timeout, SERVFAIL) keeps the last definitive verdict, so an outage never marks or clears a domain.
 */
export function nextDomainStatus(previous: DomainStatusRecord | null, domain: string, result: DomainCheckResult, at: Date): DomainStatusRecord {
  if (result.verdict === 'unknown' && previous && previous.verdict !== 'unknown') return { ...previous, attemptedAt: at };
  if (result.verdict === 'unknown') return { domain, verdict: 'unknown', reason: result.reason, checkedAt: null, attemptedAt: at };
  return { domain, verdict: result.verdict, reason: result.reason, checkedAt: at, attemptedAt: at };
}
