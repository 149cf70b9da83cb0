import { Resolver } from 'node:dns/promises';
import type { DomainCheckResult, EmailDomainChecker } from '../../domain/email-domain.js';

export interface DnsDomainCheckerOptions {
  /** host:port of the resolvers to ask (the operator's; e.g. "127.0.0.1:5353"); empty: the system's. */
  readonly resolvers: readonly string[];
  readonly timeoutMs: number;
  readonly tries: number;
  /** RDAP base URL (e.g. https://rdap.example/); GET {base}domain/{name}. Null: DNS only. */
  readonly rdapUrl?: string | null;
}

/** Answers that mean "the name does not exist" or "exists, holds no such record". */
const NXDOMAIN = 'ENOTFOUND';
const NO_DATA = 'ENODATA';

type Lookup = { kind: 'records'; count: number } | { kind: 'nxdomain' } | { kind: 'nodata' } | { kind: 'error'; code: string };

/** RDAP statuses (RFC 8056 names) that mean the registration is ending and the name will be free. */
const ENDING = ['pending delete', 'redemption period', 'expired'];

/**
 * AUTHN-2a over the real DNS protocol: NS and MX queries to the configured resolver. NXDOMAIN, or
 * neither NS nor MX, is "abandoned"; any error (timeout, SERVFAIL, refused) is "unknown".
 */
export class DnsDomainChecker implements EmailDomainChecker {
  private readonly resolver: Resolver;

  constructor(private readonly options: DnsDomainCheckerOptions) {
    this.resolver = new Resolver({ timeout: options.timeoutMs, tries: options.tries });
    if (options.resolvers.length > 0) this.resolver.setServers([...options.resolvers]);
  }

  async check(domain: string): Promise<DomainCheckResult> {
    const ns = await this.lookup(() => this.resolver.resolveNs(domain));
    if (ns.kind === 'nxdomain') return { verdict: 'abandoned', reason: 'NXDOMAIN' };
    if (ns.kind === 'error') return { verdict: 'unknown', reason: `DNS ${ns.code}` };
    const mx = await this.lookup(() => this.resolver.resolveMx(domain));
    if (mx.kind === 'nxdomain') return { verdict: 'abandoned', reason: 'NXDOMAIN' };
    if (mx.kind === 'error') return { verdict: 'unknown', reason: `DNS ${mx.code}` };
    if (ns.kind === 'nodata' && mx.kind === 'nodata') return { verdict: 'abandoned', reason: 'no NS and no MX' };
    if (this.options.rdapUrl) {
      const rdap = await this.rdap(domain, this.options.rdapUrl);
      if (rdap) return rdap;
    }
    return { verdict: 'active', reason: ns.kind === 'records' ? 'has NS' : 'has MX' };
  }

  cancel(): void {
    this.resolver.cancel();
  }

  private async lookup(query: () => Promise<unknown[]>): Promise<Lookup> {
    try {
      const records = await query();
      return records.length > 0 ? { kind: 'records', count: records.length } : { kind: 'nodata' };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
      if (code === NXDOMAIN) return { kind: 'nxdomain' };
      if (code === NO_DATA) return { kind: 'nodata' };
      return { kind: 'error', code };
    }
  }

  /** An ending registration is "abandoned"; no answer or no RDAP record says nothing (null). */
  private async rdap(domain: string, base: string): Promise<DomainCheckResult | null> {
    try {
      const url = new URL(`domain/${encodeURIComponent(domain)}`, base.endsWith('/') ? base : `${base}/`);
      const response = await fetch(url, { headers: { accept: 'application/rdap+json' }, signal: AbortSignal.timeout(this.options.timeoutMs * this.options.tries) });
      if (!response.ok) return null;
      const body = (await response.json()) as { status?: unknown; events?: unknown };
      const statuses = Array.isArray(body.status) ? body.status.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase()) : [];
      const ending = statuses.find((s) => ENDING.includes(s));
      if (ending) return { verdict: 'abandoned', reason: `RDAP status ${ending}` };
      const events = Array.isArray(body.events) ? (body.events as Array<{ eventAction?: unknown; eventDate?: unknown }>) : [];
      const expiry = events.find((e) => e.eventAction === 'expiration' && typeof e.eventDate === 'string');
      if (expiry && Date.parse(expiry.eventDate as string) < Date.now()) return { verdict: 'abandoned', reason: 'RDAP registration expired' };
      return null;
    } catch {
      return null;
    }
  }
}
