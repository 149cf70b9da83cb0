import { clientAddressKey } from '../domain/client-address.js';
import { RegistryError } from '../domain/errors.js';
import type { Clock } from '../domain/ports.js';
import type { ThrottleBucket, ThrottleStore } from '../domain/throttle-store.js';
import type { SecurityEvents } from './security-events.js';

/** The password step and the second-factor step are counted apart (PyPI's two limiters). */
export type ThrottleStep = 'password' | 'second-factor';

export interface ThrottleLimits {
  readonly windowMs: number;
  readonly passwordPerAccount: number;
  readonly passwordPerIp: number;
  readonly secondFactorPerAccount: number;
  readonly secondFactorPerIp: number;
  readonly globalPerWindow: number;
  readonly lockoutMs: number;
  readonly lockoutMaxMs: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  windowMs: 15 * 60_000, passwordPerAccount: 10, passwordPerIp: 30, secondFactorPerAccount: 5, secondFactorPerIp: 20,
  globalPerWindow: 1000, lockoutMs: 5 * 60_000, lockoutMaxMs: 24 * 3600_000,
};

/** Who is trying: the account name as typed (whether or not it exists) and the client address. */
export interface ThrottleSubject {
  readonly account: string;
  readonly ip: string;
  /** Set when the account exists, so the failure lands in its security log. */
  readonly userId?: number | null;
  readonly userAgent?: string | null;
}

export type ThrottleDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly limitedBy: 'account' | 'ip' | 'global' };

interface Counter {
  readonly key: string;
  readonly limit: number;
  readonly scope: 'account' | 'ip' | 'global';
  /** The global ceiling does not grow: it must not become a tool to shut everyone out for a day. */
  readonly backOff: boolean;
}

/**
 * Brute-force limits on every credential check (AUTHN-1e). Failures are counted per account, per
 * client address (IPv6 per /64) and registry-wide, in a window; reaching a limit locks that key,
 * and each further lockout in a row doubles (up to a ceiling). Keys come from what the client
 * sent, never from a lookup, so the decision is the same whether the account exists or not.
 */
export class Throttle {
  private readonly limits: ThrottleLimits;

  constructor(private readonly deps: { store: ThrottleStore; clock: Clock; limits?: Partial<ThrottleLimits>; events?: SecurityEvents }) {
    this.limits = { ...DEFAULT_THROTTLE_LIMITS, ...deps.limits };
  }

  private counters(step: ThrottleStep, subject: ThrottleSubject): Counter[] {
    const perAccount = step === 'password' ? this.limits.passwordPerAccount : this.limits.secondFactorPerAccount;
    const perIp = step === 'password' ? this.limits.passwordPerIp : this.limits.secondFactorPerIp;
    return [
      { key: `${step}:account:${subject.account.normalize('NFKC').toLowerCase()}`, limit: perAccount, scope: 'account', backOff: true },
      { key: `${step}:ip:${clientAddressKey(subject.ip)}`, limit: perIp, scope: 'ip', backOff: true },
      { key: 'global', limit: this.limits.globalPerWindow, scope: 'global', backOff: false },
    ];
  }

  private get ttlMs(): number {
    return Math.max(this.limits.windowMs, this.limits.lockoutMaxMs) * 2;
  }

  /** May this step be tried now? Ask before checking the credential. */
  async check(step: ThrottleStep, subject: ThrottleSubject): Promise<ThrottleDecision> {
    const now = this.deps.clock.now().getTime();
    let worst: ThrottleDecision = { allowed: true };
    for (const counter of this.counters(step, subject)) {
      const bucket = await this.deps.store.get(counter.key);
      if (bucket && bucket.lockedUntil > now) {
        const retryAfterSeconds = Math.ceil((bucket.lockedUntil - now) / 1000);
        if (worst.allowed || retryAfterSeconds > worst.retryAfterSeconds) worst = { allowed: false, retryAfterSeconds, limitedBy: counter.scope };
      }
    }
    return worst;
  }

  /** Throws E_RATE_LIMITED with Retry-After when the step is locked. */
  async assertAllowed(step: ThrottleStep, subject: ThrottleSubject): Promise<void> {
    const decision = await this.check(step, subject);
    if (!decision.allowed) {
      throw new RegistryError('E_RATE_LIMITED', `Too many failed attempts; try again in ${formatWait(decision.retryAfterSeconds)}.`, {
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
      });
    }
  }

  /** Counts a failed check (wrong password, wrong or replayed code) and logs it. */
  async recordFailure(step: ThrottleStep, subject: ThrottleSubject, detail: Record<string, string | number | boolean | null> = {}): Promise<ThrottleDecision> {
    const now = this.deps.clock.now().getTime();
    for (const counter of this.counters(step, subject)) {
      await this.deps.store.update(counter.key, (current) => this.fail(current, counter, now), this.ttlMs);
    }
    const decision = await this.check(step, subject);
    if (this.deps.events) {
      await this.deps.events.recordSecurityEvent(subject.userId ?? null, step === 'password' ? 'password-failed' : 'second-factor-failed', {
        ip: subject.ip, userAgent: subject.userAgent ?? null, detail: { ...detail, account: subject.account.slice(0, 100) },
      });
      if (!decision.allowed) {
        await this.deps.events.recordSecurityEvent(subject.userId ?? null, 'throttled', {
          ip: subject.ip, userAgent: subject.userAgent ?? null, detail: { step, limitedBy: decision.limitedBy, retryAfterSeconds: decision.retryAfterSeconds },
        });
      }
    }
    return decision;
  }

  /** A success clears the account's counter for the step (not the address's: one's own account must not reset an attack). */
  async recordSuccess(step: ThrottleStep, subject: ThrottleSubject): Promise<void> {
    const [account] = this.counters(step, subject);
    const now = this.deps.clock.now().getTime();
    await this.deps.store.update(account!.key, (current) => (current && current.lockedUntil > now ? current : null), this.ttlMs);
  }

  private fail(current: ThrottleBucket | null, counter: Counter, now: number): ThrottleBucket {
    let bucket: ThrottleBucket = current ?? { failures: 0, windowStart: now, lockedUntil: 0, lockouts: 0 };
    if (now - bucket.windowStart >= this.limits.windowMs) {
      // A new window; the back-off streak ends after a quiet stretch as long as the longest lockout.
      const quiet = bucket.lockedUntil === 0 || now - bucket.lockedUntil >= this.limits.lockoutMaxMs;
      bucket = { failures: 0, windowStart: now, lockedUntil: bucket.lockedUntil, lockouts: quiet ? 0 : bucket.lockouts };
    }
    const failures = bucket.failures + 1;
    if (failures < counter.limit) return { ...bucket, failures };
    const lockMs = counter.backOff
      ? Math.min(this.limits.lockoutMaxMs, this.limits.lockoutMs * 2 ** bucket.lockouts)
      : Math.max(1000, bucket.windowStart + this.limits.windowMs - now);
    return { failures: 0, windowStart: now, lockedUntil: now + lockMs, lockouts: bucket.lockouts + 1 };
  }
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}
