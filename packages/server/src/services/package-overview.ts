import semver from 'semver';
import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import type { Clock, MetadataStore } from '../domain/ports.js';
import type { MaintainerRecord, VersionRecord } from '../domain/records.js';
import { decideTokenScope } from '../policy/token-scope.js';
import { enforce } from '../policy/decision.js';

export interface PackageOverview {
  readonly name: string;
  readonly distTags: Readonly<Record<string, string>>;
  /** Newest first by semver precedence. */
  readonly versions: readonly VersionRecord[];
  readonly maintainers: readonly MaintainerRecord[];
  readonly createdAt: Date;
  readonly modifiedAt: Date;
}

export interface PackageSummary {
  readonly name: string;
  readonly latest: string | null;
  readonly description: string;
  readonly modifiedAt: Date;
}

/** Typed reads for the web UI's package and version pages (the npm API serves stored JSON). */
export class PackageOverviews {
  constructor(private readonly deps: { store: MetadataStore; clock: Clock }) {}

  async overview(actor: Actor, name: string): Promise<PackageOverview> {
    if (actor.kind === 'user') enforce(decideTokenScope(actor, name, 'read', this.deps.clock.now()));
    const pkg = await this.deps.store.findPackage(name);
    if (!pkg) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${name}`);
    const [versions, maintainers] = await Promise.all([this.deps.store.listVersions(name), this.deps.store.listMaintainers(name)]);
    return {
      name, distTags: pkg.distTags, maintainers, createdAt: pkg.createdAt, modifiedAt: pkg.modifiedAt,
      versions: [...versions].sort((a, b) => semver.rcompare(a.version, b.version)),
    };
  }

  /** A deleted name's record (unpublished by its owners or taken down), for the page that says so. */
  async deleted(name: string): Promise<{ kind: string; reason: string | null; deletedAt: Date } | null> {
    const record = await this.deps.store.findDeletedName(name);
    return record ? { kind: record.kind, reason: record.reason, deletedAt: record.deletedAt } : null;
  }

  async list(text: string, size: number, from: number): Promise<{ total: number; packages: PackageSummary[] }> {
    const { hits, total } = await this.deps.store.searchPackages(text, size, from);
    return {
      total,
      packages: hits.map((hit) => {
        const doc = JSON.parse(hit.fullDoc) as { 'dist-tags'?: Record<string, string>; description?: unknown };
        return {
          name: hit.name, latest: doc['dist-tags']?.latest ?? null, modifiedAt: hit.modifiedAt,
          description: typeof doc.description === 'string' ? doc.description : '',
        };
      }),
    };
  }
}
