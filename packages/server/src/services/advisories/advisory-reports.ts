import semver from 'semver';
import type { Actor } from '../../domain/actor.js';
import type { AdvisoryStore } from '../../domain/advisories/advisory-store.js';
import { SEVERITY_ORDER, type NpmSeverity } from '../../domain/advisories/severity.js';
import { NPM_MATCH } from '../../domain/advisories/version-ranges.js';
import { RegistryError } from '../../domain/errors.js';
import type { Clock, MetadataStore } from '../../domain/ports.js';
import { enforce } from '../../policy/decision.js';
import { decideTokenScope } from '../../policy/token-scope.js';
import type { AdvisoryIndex, IndexEntry } from './advisory-index.js';
import { advisoryPageUrl } from './npm-audit.js';
import { advisoryView, type AdvisoryView } from './private-advisories.js';

/** An advisory as the web UI lists it. */
export interface AdvisoryListItem {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly title: string;
  readonly severity: NpmSeverity;
  readonly cvssScore: number;
  readonly vulnerableVersions: string;
  /** The fixed versions the advisory names. */
  readonly fixedIn: readonly string[];
  /** The lowest version published in this registry, above the affected one, that no advisory affects; null if none. */
  readonly upgradeTo: string | null;
  readonly url: string;
}

export interface DependencyAdvisory {
  readonly name: string;
  readonly version: string;
  /** From the root to the affected dependency, e.g. ["app@1.0.0", "lib@2.1.0", "vuln@1.0.0"]. */
  readonly path: readonly string[];
  /** The same as text: "app@1.0.0 > lib@2.1.0 > vuln@1.0.0". */
  readonly pathText: string;
  readonly advisory: AdvisoryListItem;
}

export interface VersionAdvisoryReport {
  readonly name: string;
  readonly version: string;
  /** Advisories affecting this version itself. */
  readonly direct: readonly AdvisoryListItem[];
  /** Advisories affecting its dependency tree, resolved from this registry's metadata. */
  readonly dependencies: readonly DependencyAdvisory[];
  /** Dependencies not resolvable here (not in this registry, no matching version, or a non-registry spec). */
  readonly unresolved: ReadonlyArray<{ readonly name: string; readonly spec: string; readonly path: string }>;
  /** Number of distinct package versions in the resolved tree (root excluded). */
  readonly resolvedCount: number;
  /** True when the tree was larger than the bound and was cut. */
  readonly truncated: boolean;
}

export interface PackageAdvisoryFlag {
  /** Published advisories of the package (any version). */
  readonly count: number;
  /** The highest severity among them, or null when none. */
  readonly maxSeverity: NpmSeverity | null;
}

const MAX_NODES = 2_000;
const MAX_DEPTH = 64;

interface Node {
  readonly name: string;
  readonly version: string;
  readonly path: readonly string[];
}

/** `npm:real@range` aliases resolve to the real package; git/url/file/workspace specs are not resolvable here. */
function registrySpec(name: string, spec: string): { name: string; range: string } | null {
  if (spec.startsWith('npm:')) {
    const rest = spec.slice(4);
    const at = rest.lastIndexOf('@');
    return at > 0 ? { name: rest.slice(0, at), range: rest.slice(at + 1) || '*' } : { name: rest, range: '*' };
  }
  const range = spec === '' || spec === 'latest' ? '*' : spec;
  return semver.validRange(range, { loose: true }) === null ? null : { name, range };
}

/**
 * GEN-2d: what a package version page shows about known vulnerabilities, for the version and for
 * its dependency tree. The tree is resolved from the registry's own metadata the way npm would
 * pick a fresh install (the `latest` tag if it satisfies, else the highest match), breadth first
 * (shortest path to each package version), cycle-safe and bounded.
 */
export class AdvisoryReports {
  constructor(private readonly deps: { store: AdvisoryStore; metadata: MetadataStore; index: AdvisoryIndex; clock: Clock }) {}

  private authorizeRead(actor: Actor, name: string): void {
    if (actor.kind !== 'anonymous') enforce(decideTokenScope(actor, name, 'read', this.deps.clock.now()));
  }

  private async versionsOf(name: string, cache: Map<string, { versions: string[]; latest: string | undefined } | null>) {
    if (!cache.has(name)) {
      const pkg = await this.deps.metadata.findPackage(name);
      cache.set(name, pkg ? { versions: (await this.deps.metadata.listVersions(name)).map((v) => v.version), latest: pkg.distTags.latest } : null);
    }
    return cache.get(name)!;
  }

  private async item(entry: IndexEntry, name: string, version: string, baseUrl: string, versions: readonly string[] | null): Promise<AdvisoryListItem> {
    const { row } = entry;
    return {
      id: row.advisoryId,
      aliases: row.summary.aliases,
      title: row.summary.title,
      severity: row.summary.severity,
      cvssScore: row.summary.cvssScore,
      vulnerableVersions: row.range,
      fixedIn: row.fixed,
      upgradeTo: versions ? await this.safeUpgrade(name, version, versions) : null,
      url: advisoryPageUrl(baseUrl, row.advisoryId),
    };
  }

  /** The lowest published version above `version` that no advisory of the package affects. */
  private async safeUpgrade(name: string, version: string, versions: readonly string[]): Promise<string | null> {
    const entries = (await this.deps.index.forPackages([name])).get(name) ?? [];
    const candidates = versions.filter((v) => semver.valid(v) && semver.gt(v, version)).sort(semver.compare);
    return candidates.find((v) => !entries.some((e) => semver.satisfies(v, e.range, NPM_MATCH))) ?? null;
  }

  async forVersion(actor: Actor, name: string, version: string, baseUrl: string): Promise<VersionAdvisoryReport> {
    this.authorizeRead(actor, name);
    const root = await this.deps.metadata.findVersion(name, version);
    if (!root) throw new RegistryError('E_VERSION_NOT_FOUND', `Not found: ${name}@${version.slice(0, 64)}`);
    const packages = new Map<string, { versions: string[]; latest: string | undefined } | null>();
    const direct = await Promise.all((await this.deps.index.affecting(name, version)).map(async (e) => this.item(e, name, version, baseUrl, (await this.versionsOf(name, packages))?.versions ?? null)));

    const rootId = `${name}@${version}`;
    const seen = new Set<string>([rootId]);
    const queue: Array<{ node: Node; manifest: Readonly<Record<string, unknown>> }> = [{ node: { name, version, path: [rootId] }, manifest: root.manifest }];
    const resolved: Node[] = [];
    const unresolved: Array<{ name: string; spec: string; path: string }> = [];
    let truncated = false;
    while (queue.length > 0) {
      const { node, manifest } = queue.shift()!;
      if (node.path.length > MAX_DEPTH) {
        truncated = true;
        continue;
      }
      const dependencies = { ...(manifest.optionalDependencies as Record<string, string> | undefined), ...(manifest.dependencies as Record<string, string> | undefined) };
      for (const [depName, spec] of Object.entries(dependencies)) {
        if (typeof spec !== 'string') continue;
        const target = registrySpec(depName, spec);
        const known = target ? await this.versionsOf(target.name, packages) : null;
        const pick = target && known
          ? (known.latest && semver.satisfies(known.latest, target.range, { loose: true }) ? known.latest : semver.maxSatisfying(known.versions, target.range, { loose: true }))
          : null;
        if (!target || !pick) {
          unresolved.push({ name: depName, spec, path: node.path.join(' > ') });
          continue;
        }
        const id = `${target.name}@${pick}`;
        if (seen.has(id)) continue;
        if (seen.size > MAX_NODES) {
          truncated = true;
          break;
        }
        seen.add(id);
        const child: Node = { name: target.name, version: pick, path: [...node.path, id] };
        resolved.push(child);
        const record = await this.deps.metadata.findVersion(target.name, pick);
        if (record) queue.push({ node: child, manifest: record.manifest });
      }
    }

    const index = await this.deps.index.forPackages([...new Set(resolved.map((n) => n.name))]);
    const dependencies: DependencyAdvisory[] = [];
    for (const node of resolved) {
      for (const entry of index.get(node.name) ?? []) {
        if (!semver.satisfies(node.version, entry.range, NPM_MATCH)) continue;
        const advisory = await this.item(entry, node.name, node.version, baseUrl, (await this.versionsOf(node.name, packages))?.versions ?? null);
        dependencies.push({ name: node.name, version: node.version, path: node.path, pathText: node.path.join(' > '), advisory });
      }
    }
    dependencies.sort((a, b) => SEVERITY_ORDER.indexOf(b.advisory.severity) - SEVERITY_ORDER.indexOf(a.advisory.severity) || a.pathText.localeCompare(b.pathText));
    return { name, version, direct, dependencies, unresolved, resolvedCount: resolved.length, truncated };
  }

  /** For list badges: per package, how many published advisories it has and the worst severity. */
  async flags(names: readonly string[]): Promise<Record<string, PackageAdvisoryFlag>> {
    const index = await this.deps.index.forPackages(names);
    const out: Record<string, PackageAdvisoryFlag> = {};
    for (const name of names) {
      const entries = index.get(name) ?? [];
      const worst = entries.reduce<NpmSeverity | null>((max, e) => (max === null || SEVERITY_ORDER.indexOf(e.row.summary.severity) > SEVERITY_ORDER.indexOf(max) ? e.row.summary.severity : max), null);
      out[name] = { count: entries.length, maxSeverity: worst };
    }
    return out;
  }

  /** All published advisories of a package (newest id last), for the package page's advisory list. */
  async forPackage(name: string, baseUrl: string): Promise<AdvisoryListItem[]> {
    const entries = (await this.deps.index.forPackages([name])).get(name) ?? [];
    const versions = (await this.versionsOf(name, new Map()))?.versions ?? null;
    return Promise.all(entries.map((e) => ({
      id: e.row.advisoryId, aliases: e.row.summary.aliases, title: e.row.summary.title, severity: e.row.summary.severity, cvssScore: e.row.summary.cvssScore,
      vulnerableVersions: e.row.range, fixedIn: e.row.fixed, upgradeTo: versions ? this.lowestSafe(e, versions) : null, url: advisoryPageUrl(baseUrl, e.row.advisoryId),
    })));
  }

  private lowestSafe(entry: IndexEntry, versions: readonly string[]): string | null {
    const sorted = versions.filter((v) => semver.valid(v)).sort(semver.compare);
    const firstAffected = sorted.find((v) => semver.satisfies(v, entry.range, NPM_MATCH));
    if (!firstAffected) return null;
    return sorted.find((v) => semver.gt(v, firstAffected) && !semver.satisfies(v, entry.range, NPM_MATCH)) ?? null;
  }

  /** The advisory page's data, by id or alias; drafts are not shown here (their authors use PrivateAdvisories.get). */
  async advisory(idOrAlias: string): Promise<AdvisoryView> {
    const found = await this.deps.store.find(idOrAlias);
    if (!found || found.state !== 'published') throw new RegistryError('E_ADVISORY_NOT_FOUND', `No advisory ${idOrAlias.slice(0, 100)}.`);
    return advisoryView(found);
  }
}
