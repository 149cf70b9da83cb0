import type { Clock } from '../domain/ports.js';
import type { PackageSecuritySettingsStore } from '../domain/package-security-settings.js';
import type { PackageStats } from './package-stats.js';

const REFRESH_MS = 5 * 60_000;

/**
 * AUTHN-2c/3c: a package is critical when the operator flagged it or it is in the top share
 * (default 1%) of the packages downloaded in the last 7 days, at least one when any was. The
 * ranking is recomputed at most every five minutes; a flag is read on every check.
 */
export class CriticalPackages {
  private top: { names: ReadonlySet<string>; at: number } | null = null;

  constructor(private readonly deps: { stats: Pick<PackageStats, 'topPackages'>; settings: PackageSecuritySettingsStore; clock: Clock; topShare: number }) {}

  async isCritical(name: string): Promise<boolean> {
    if ((await this.deps.settings.get(name)).critical) return true;
    return (await this.topNames()).has(name);
  }

  /** The ranked critical packages now, most downloaded first (for docs, UI and tests). */
  async ranked(): Promise<string[]> {
    return [...(await this.topNames())];
  }

  private async topNames(): Promise<ReadonlySet<string>> {
    const now = this.deps.clock.now().getTime();
    if (this.top && now - this.top.at < REFRESH_MS) return this.top.names;
    const names = new Set<string>();
    if (this.deps.topShare > 0) {
      const downloaded = await this.deps.stats.topPackages(100_000);
      const count = Math.max(1, Math.ceil(downloaded.length * this.deps.topShare));
      for (const p of downloaded.slice(0, count)) names.add(p.name);
    }
    this.top = { names, at: now };
    return names;
  }

  /** Forget the cached ranking (tests, and after an operator changes a flag). */
  invalidate(): void {
    this.top = null;
  }
}
