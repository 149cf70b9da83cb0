import type { Actor } from '../domain/actor.js';
import { collisionKey } from '../domain/name-normalize.js';
import { RegistryError } from '../domain/errors.js';
import { NameIndex, type NameIndexOptions, type NameIndexStats } from '../domain/name-index.js';
import type { ImportedName, NameHold, NameList, NameListEntry, NameStore, PopularitySource } from '../domain/name-store.js';
import { parsePackageName } from '../domain/package-name.js';
import type { Clock, MetadataOps } from '../domain/ports.js';
import { decideName, type NameActions, type NameDecision } from '../policy/name-policy.js';

export interface NameGuardSettings {
  readonly enabled: boolean;
  readonly protectedTop: number;
  readonly registryTop: number;
  readonly registryMinDependents: number;
  readonly index: NameIndexOptions;
  readonly actions: NameActions;
  readonly refreshMs: number;
  /** How to appeal, e.g. "mailto:registry@example.org"; shown in every refusal. */
  readonly appeal: string;
}

/** What `GET /-/bulwark/v1/names/availability` answers and `bulwark name check` prints. */
export interface NameAvailability {
  readonly name: string;
  /** True when a new package of this name would be accepted from this caller now. */
  readonly available: boolean;
  readonly exists: boolean;
  readonly decision: NameDecision | { readonly action: 'block'; readonly rule: 'exists'; readonly similarTo: null; readonly reason: string; readonly matches: []; readonly exempted: [] };
  readonly appeal: string;
}

/** The appeal path when neither names.appeal nor security.contact is configured. */
export const DEFAULT_APPEAL = 'the registry operator';

const DISABLED: NameIndexOptions = { minLengthTypo: 1, minLengthDistance2: 0, combosquatTop: 0, minLengthCombo: 1, affixes: [] };

/**
 * GEN-1b: the typosquat guard. Keeps a NameIndex over the protected corpus (operator-imported
 * names plus this registry's most depended-upon packages), rebuilt when the corpus changes, and
 * applies the name policy to new package names, at publish and in the availability endpoint.
 */
export class NameGuard {
  // Two indexes: the imported list (large, rebuilt only on import) and this registry's own
  // packages (small, rebuilt as packages and dependencies change).
  private imported: NameIndex = new NameIndex([], DISABLED);
  private own: NameIndex = new NameIndex([], DISABLED);
  private versions: { imported: string | null; packages: string | null } = { imported: null, packages: null };
  private checkedAt = -Infinity;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      names: NameStore;
      /** The ranking of the registry's own packages; defaults to the name store's dependents count. */
      popularity?: PopularitySource;
      packages: Pick<MetadataOps, 'findPackage' | 'findScopeOwner'>;
      clock: Clock;
      settings: NameGuardSettings;
      onRebuild?: (stats: NameIndexStats & { part: 'imported' | 'registry' }) => void;
    },
  ) {}

  /** Builds the indexes now (at startup, so the first publish does not wait). */
  async warm(): Promise<NameIndexStats> {
    this.checkedAt = -Infinity;
    return this.stats();
  }

  /** The corpus changed in this process (an import): rebuild before the next check. */
  invalidate(): void {
    this.checkedAt = -Infinity;
    this.versions = { imported: null, packages: null };
  }

  /** Both indexes' size and build time together, for operators. */
  async stats(): Promise<NameIndexStats> {
    await this.refresh();
    const [a, b] = [this.imported.stats, this.own.stats];
    return {
      names: a.names + b.names, scopes: a.scopes + b.scopes, deleteVariants: a.deleteVariants + b.deleteVariants,
      indexBytes: a.indexBytes + b.indexBytes, buildMs: a.buildMs + b.buildMs,
    };
  }

  /** Would a new package `name` be accepted from this actor? The decision and its evidence. */
  async check(name: string, actor: Actor): Promise<NameAvailability> {
    const pkg = parsePackageName(name);
    const appeal = this.deps.settings.appeal;
    if (await this.deps.packages.findPackage(pkg.name)) {
      const reason = `The package ${pkg.name} exists; only its maintainers publish to it.`;
      return { name: pkg.name, available: false, exists: true, decision: { action: 'block', rule: 'exists', similarTo: null, reason, matches: [], exempted: [] }, appeal };
    }
    const decision = await this.decide(pkg.name, actor);
    return { name: pkg.name, available: decision.action === 'allow', exists: false, decision, appeal };
  }

  /** Called by the publish service for a name that has no package yet; throws the refusal. */
  async assertPublishable(actor: Actor, name: string): Promise<void> {
    const decision = await this.decide(name, actor);
    if (decision.action === 'allow') return;
    const contact = this.deps.settings.appeal === DEFAULT_APPEAL ? '' : ` (${this.deps.settings.appeal})`;
    const appeal = `If this is a mistake, ask the registry operator${contact} to allow the name; operators run: bulwark admin names allow ${name}`;
    if (decision.rule === 'deny-list') throw new RegistryError('E_NAME_PROHIBITED', `${decision.reason} ${appeal}`);
    const similar = decision.similarTo?.name ?? '';
    if (decision.action === 'review') {
      await this.deps.names.recordHold({
        name, requestedBy: actor.kind === 'user' ? actor.user.name : 'anonymous', rule: decision.rule, similarTo: similar || null, reason: decision.reason,
      }, this.deps.clock.now());
      throw new RegistryError('E_NAME_HELD_FOR_REVIEW', `The new name ${name} is held for operator review: it looks like "${similar}". ${decision.reason} Nothing was published. ${appeal}`);
    }
    throw new RegistryError('E_POLICY_TYPOSQUAT', `The name ${name} is too similar to the existing package "${similar}". ${decision.reason} ${appeal}`);
  }

  private async decide(name: string, actor: Actor): Promise<NameDecision> {
    const { names, settings } = this.deps;
    const list = await names.findNameList(name);
    if (!settings.enabled) {
      return decideName({ name, matches: [], maintainedByPublisher: new Set(), allowListed: list === 'allow', denyListed: list === 'deny', actions: settings.actions });
    }
    await this.refresh();
    const offset = this.imported.size;
    let matches = [...this.imported.find(name), ...this.own.find(name).map((m) => ({ ...m, priority: m.priority + offset }))];
    // Any existing package whose name differs only in case and punctuation (react_dom vs react-dom) collides, popular or not.
    const existing = (await names.findPackagesByKey(collisionKey(name))).find((n) => n !== name);
    if (existing !== undefined && !matches.some((m) => m.rule === 'collision' && m.similar.name === existing)) {
      matches = [{ rule: 'collision', similar: { name: existing, rank: 0, downloads: 0, dependents: 0, source: 'registry' }, priority: -1, detail: `${name} and ${existing} are the same name once case, ".", "-" and "_" are folded` }, ...matches];
    }
    // A claimed scope passed this check when its first package was published; its owner alone publishes in it.
    const scope = parsePackageName(name).scope;
    if (scope !== null && matches.some((m) => m.rule === 'scope') && (await this.deps.packages.findScopeOwner(scope)) !== null) {
      matches = matches.filter((m) => m.rule !== 'scope');
    }
    const similar = [...new Set(matches.map((m) => m.similar.name))];
    const maintained = actor.kind === 'user' ? await names.maintainedBy(actor.user.id, similar) : new Set<string>();
    return decideName({ name, matches, maintainedByPublisher: maintained, allowListed: list === 'allow', denyListed: list === 'deny', actions: settings.actions });
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    const now = this.deps.clock.now().getTime();
    if (now - this.checkedAt < this.deps.settings.refreshMs) return;
    this.refreshing = (async () => {
      try {
        const version = await this.deps.names.corpusVersion();
        this.checkedAt = this.deps.clock.now().getTime();
        if (version.imported !== this.versions.imported) {
          this.imported = await this.buildImported();
          this.versions.imported = version.imported;
          this.deps.onRebuild?.({ ...this.imported.stats, part: 'imported' });
        }
        if (version.packages !== this.versions.packages) {
          this.own = await this.buildOwn();
          this.versions.packages = version.packages;
          this.deps.onRebuild?.({ ...this.own.stats, part: 'registry' });
        }
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Imported names, most downloaded first. */
  private async buildImported(): Promise<NameIndex> {
    const rows = await this.deps.names.topProtectedNames(this.deps.settings.protectedTop);
    return new NameIndex(rows.map((r, i) => ({ name: r.name, rank: i + 1, downloads: r.downloads, dependents: 0, source: 'import' })), this.deps.settings.index);
  }

  /** This registry's packages, most depended upon first. */
  private async buildOwn(): Promise<NameIndex> {
    const { names, settings } = this.deps;
    const own = await (this.deps.popularity ?? names).rankPackages(settings.registryTop, settings.registryMinDependents);
    return new NameIndex(own.map((p, i) => ({ name: p.name, rank: i + 1, downloads: p.downloads, dependents: p.dependents, source: 'registry' })), settings.index);
  }

  /** `bulwark admin names import`: upserts the list (idempotent) and rebuilds on the next check. */
  async importNames(rows: readonly ImportedName[]): Promise<{ added: number; updated: number }> {
    const result = await this.deps.names.importProtectedNames(rows, this.deps.clock.now());
    this.invalidate();
    return result;
  }

  /** Allow-list (also releases a held name), deny-list, or `null` to take a name off both. */
  async setList(name: string, list: NameList | null, note: string | null): Promise<void> {
    await this.deps.names.setNameList(name, list, note, this.deps.clock.now());
    if (list === 'allow') await this.deps.names.deleteHold(name);
  }

  listLists(): Promise<NameListEntry[]> {
    return this.deps.names.listNameLists();
  }

  listHolds(): Promise<NameHold[]> {
    return this.deps.names.listHolds();
  }
}

/** Parses the operator's TSV (`name<TAB>downloads`, one per line; `#` comments and blank lines skipped). */
export function parseNamesTsv(text: string): { rows: ImportedName[]; skipped: number } {
  const rows: ImportedName[] = [];
  let skipped = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [name, downloads] = line.split('\t');
    const count = Number(downloads ?? '0');
    if (!name || name.length > 214 || /\s/.test(name) || !Number.isFinite(count) || count < 0) {
      skipped++;
      continue;
    }
    rows.push({ name: name.trim(), downloads: Math.floor(count) });
  }
  return { rows, skipped };
}
