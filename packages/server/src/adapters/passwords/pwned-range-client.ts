import type { BreachedPasswords } from '../../domain/breached-passwords.js';

/** Parses a range answer (`SUFFIX:COUNT` lines) into suffix -> count, dropping padding (count 0). */
export function parseRangeBody(body: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const count = Number.parseInt(line.slice(colon + 1), 10);
    if (!Number.isFinite(count) || count <= 0) continue;
    counts.set(line.slice(0, colon).toUpperCase(), count);
  }
  return counts;
}

interface CachedRange {
  readonly counts: Map<string, number>;
  readonly until: number;
}

/**
 * The Pwned Passwords k-anonymity range API (AUTHN-2d): only the first 5 hex characters of the
 * SHA-1 leave the server, and `Add-Padding: true` makes every answer 800-1,000 lines so its
 * size does not reveal the prefix either. Answers are cached by prefix for a short time (the
 * cache holds ranges, never a user's full hash).
 */
export class PwnedRangeClient implements BreachedPasswords {
  private readonly cache = new Map<string, CachedRange>();
  private readonly base: string;

  constructor(private readonly options: { endpoint: string; timeoutMs: number; cacheMs: number; maxCachedRanges?: number; now?: () => number; userAgent?: string }) {
    this.base = options.endpoint.replace(/\/+$/, '');
  }

  async count(sha1: string, signal?: AbortSignal): Promise<number> {
    const hash = sha1.toUpperCase();
    if (!/^[0-9A-F]{40}$/.test(hash)) throw new Error('not a SHA-1 hex digest');
    const counts = await this.range(hash.slice(0, 5), signal);
    return counts.get(hash.slice(5)) ?? 0;
  }

  private async range(prefix: string, signal?: AbortSignal): Promise<Map<string, number>> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(prefix);
    if (cached && cached.until > now) return cached.counts;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const response = await fetch(`${this.base}/range/${prefix}`, {
      headers: { 'Add-Padding': 'true', 'User-Agent': this.options.userAgent ?? 'bulwark-registry' },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) throw new Error(`Pwned Passwords range API answered ${response.status}`);
    const counts = parseRangeBody(await response.text());
    if (this.options.cacheMs > 0) {
      if (this.cache.size >= (this.options.maxCachedRanges ?? 10_000)) this.cache.clear();
      this.cache.set(prefix, { counts, until: now + this.options.cacheMs });
    }
    return counts;
  }
}
