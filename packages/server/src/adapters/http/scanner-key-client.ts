import type { ScannerKey, ScannerKeySource } from '../../domain/scanner-report.js';

const CACHE_MS = 60 * 60_000;
/**
 * An unknown key id forces a refetch (the provider may have started a new key), but each id only
 * once per minute and at most 10 forced refetches a minute per provider: reports with made-up
 * ids cannot turn the registry into a fetch amplifier.
 */
const RETRY_ID_MS = 60_000;
const FORCED_PER_MINUTE = 10;

interface Cached {
  keys: readonly ScannerKey[];
  fetchedAt: number;
}

/**
 * Fetches scanners' public keys in GitHub's format (`{public_keys: [{key_identifier, key,
 * is_current}]}`, e.g. https://api.github.com/meta/public_keys/secret_scanning), cached.
 */
export class ScannerKeyClient implements ScannerKeySource {
  private readonly cache = new Map<string, Cached>();
  private readonly triedIds = new Map<string, number>();
  private forced: number[] = [];

  constructor(private readonly urls: ReadonlyMap<string, string>, private readonly now: () => number = Date.now) {}

  async keys(provider: string, unknownKeyId?: string): Promise<readonly ScannerKey[]> {
    const url = this.urls.get(provider);
    if (!url) return [];
    const cached = this.cache.get(provider);
    const now = this.now();
    const fresh = cached !== undefined && now - cached.fetchedAt < CACHE_MS;
    if (fresh && (unknownKeyId === undefined || !this.mayForce(`${provider} ${unknownKeyId}`, now))) return cached.keys;
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`fetching ${provider} scanner keys from ${url}: HTTP ${res.status}`);
    const body = (await res.json()) as { public_keys?: Array<{ key_identifier?: unknown; key?: unknown; is_current?: unknown }> };
    const keys = (body.public_keys ?? []).flatMap((k) =>
      typeof k.key_identifier === 'string' && typeof k.key === 'string' ? [{ id: k.key_identifier, pem: k.key, current: k.is_current === true }] : []);
    this.cache.set(provider, { keys, fetchedAt: this.now() });
    return keys;
  }

  private mayForce(id: string, now: number): boolean {
    this.forced = this.forced.filter((t) => now - t < 60_000);
    const tried = this.triedIds.get(id);
    if ((tried !== undefined && now - tried < RETRY_ID_MS) || this.forced.length >= FORCED_PER_MINUTE) return false;
    if (this.triedIds.size > 1000) this.triedIds.clear();
    this.triedIds.set(id, now);
    this.forced.push(now);
    return true;
  }
}
