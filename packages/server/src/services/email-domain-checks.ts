import { emailDomainOf, nextDomainStatus, type DomainStatusRecord, type EmailDomainChecker, type EmailDomainStore } from '../domain/email-domain.js';
import { RegistryError } from '../domain/errors.js';
import type { Clock } from '../domain/ports.js';

export interface DomainCheckLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The answer the password-reset flow needs (AUTHN-2a). */
export type EmailRecoveryDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string; readonly domain: string };

export interface EmailDomainRunSummary {
  readonly domains: number;
  readonly abandoned: number;
  readonly active: number;
  readonly unknown: number;
}

/**
 * AUTHN-2a: a periodic check of every registered email domain, and the question the reset flow asks.
 * A verdict is stored per domain with its time; a lookup that fails keeps the last definitive verdict.
 */
export class EmailDomainChecks {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(private readonly deps: { checker: EmailDomainChecker; store: EmailDomainStore; clock: Clock; log?: DomainCheckLog }) {}

  /** Checks one domain now and stores the verdict. */
  async checkDomain(domain: string): Promise<DomainStatusRecord> {
    const result = await this.deps.checker.check(domain);
    const record = nextDomainStatus(await this.deps.store.find(domain), domain, result, this.deps.clock.now());
    await this.deps.store.save(record);
    return record;
  }

  /** One run over every registered domain, one at a time (a registry has few distinct domains; DNS stays polite). */
  async checkAll(): Promise<EmailDomainRunSummary> {
    const domains = await this.deps.store.listRegisteredDomains();
    const counts = { abandoned: 0, active: 0, unknown: 0 };
    for (const domain of domains) {
      if (this.stopped) break;
      const before = await this.deps.store.find(domain);
      const record = await this.checkDomain(domain);
      counts[record.verdict] += 1;
      if (record.verdict === 'abandoned' && before?.verdict !== 'abandoned') {
        this.deps.log?.warn({ domain, reason: record.reason }, 'email domain looks abandoned: recovery by mail through it is refused (AUTHN-2a)');
      }
    }
    const summary = { domains: domains.length, ...counts };
    this.deps.log?.info(summary, 'email domain check done');
    return summary;
  }

  /** Every stored verdict, for operators. */
  list(): Promise<DomainStatusRecord[]> {
    return this.deps.store.list();
  }

  /**
   * May a password reset (or any recovery) go by mail to this user's address? No when its domain
   * was found abandoned. A domain never checked is checked now; a failed lookup allows (fail-open:
   * an outage must not lock everyone out, and "unknown" is never proof of abandonment).
   */
  async canRecoverByEmail(user: { email: string }): Promise<EmailRecoveryDecision> {
    const domain = emailDomainOf(user.email);
    if (!domain) return { allowed: false, domain: '', reason: 'Your account has no usable email address. Use a recovery code, or ask the registry operator for help.' };
    const record = (await this.deps.store.find(domain)) ?? (await this.checkDomain(domain));
    if (record.verdict !== 'abandoned') return { allowed: true };
    return {
      allowed: false, domain,
      reason: `The domain of your email address (${domain}) appears to be abandoned (${record.reason}); whoever registers it again could receive your reset mail, so recovery by email is refused. Sign in and add another address, use a recovery code, or ask the registry operator for help.`,
    };
  }

  /** The same decision as an error (E_EMAIL_RECOVERY_REFUSED), for flows that refuse by throwing. */
  async assertCanRecoverByEmail(user: { email: string }): Promise<void> {
    const decision = await this.canRecoverByEmail(user);
    if (!decision.allowed) throw new RegistryError('E_EMAIL_RECOVERY_REFUSED', decision.reason);
  }

  /** Runs checkAll now and then every intervalMs; errors are logged, never thrown. */
  start(intervalMs: number): void {
    if (this.timer) return;
    this.stopped = false;
    const run = () => {
      if (this.running) return;
      this.running = this.checkAll().catch((err: unknown) => this.deps.log?.warn({ err }, 'email domain check failed')).finally(() => { this.running = null; });
    };
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Shutdown does not wait for slow resolvers: lookups in flight end now and keep the old verdicts.
    this.stopped = true;
    this.deps.checker.cancel?.();
    await this.running;
  }
}
