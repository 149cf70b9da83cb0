import type { Actor } from '../../domain/actor.js';
import type { AdvisoryStore, AdvisorySummary, AdvisoryWrite, StoredAdvisory } from '../../domain/advisories/advisory-store.js';
import { packageRowsOf, summarize } from '../../domain/advisories/advisory-summary.js';
import { parseOsvRecord, type OsvRecord } from '../../domain/advisories/osv.js';
import type { AdvisoryInput } from './advisory-input.js';
import { npmRangeToOsvRanges } from '../../domain/advisories/version-ranges.js';
import { RegistryError } from '../../domain/errors.js';
import type { Clock, MetadataStore } from '../../domain/ports.js';
import { enforce } from '../../policy/decision.js';
import { decideAdvisoryWrite } from '../../policy/advisory-authz.js';

/** What the advisory JSON API answers (authoring and the advisory page alike). */
export interface AdvisoryView {
  readonly id: string;
  readonly state: 'draft' | 'published';
  /** The package a registry-written advisory belongs to; null for imported ones. */
  readonly package: string | null;
  readonly origin: 'imported' | 'private';
  readonly withdrawn: boolean;
  /** Title, severity, CVSS score and vector, CWE, aliases. */
  readonly summary: AdvisorySummary;
  /** The OSV record as served at /v1/vulns/{id}. */
  readonly record: OsvRecord;
}

const ID_PREFIX = 'BWK';

export function advisoryView(stored: StoredAdvisory): AdvisoryView {
  return { id: stored.id, state: stored.state, package: stored.ownerPackage, origin: stored.origin, withdrawn: stored.withdrawn, summary: stored.summary, record: stored.record };
}

function view(stored: StoredAdvisory, record: OsvRecord = stored.record, state = stored.state): AdvisoryView {
  return advisoryView({ ...stored, record, state, withdrawn: record.withdrawn !== undefined, summary: summarize(record) });
}

/**
 * Advisories written by the registry's own users about their packages (public or private):
 * maintainers and operators create a draft, edit it, and publish it; from then on it is served as
 * OSV at `/v1/vulns/{id}` and warns in `npm audit`. Ids are `BWK-<year>-<nnnn>`.
 */
export class PrivateAdvisories {
  constructor(private readonly deps: { store: AdvisoryStore; metadata: MetadataStore; clock: Clock }) {}

  private async authorize(actor: Actor, name: string): Promise<void> {
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to write advisories.');
    if (!(await this.deps.metadata.findPackage(name))) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${name}`);
    const maintainers = (await this.deps.metadata.listMaintainers(name)).map((m) => m.userId);
    enforce(decideAdvisoryWrite(actor, name, maintainers, this.deps.clock.now()));
  }

  private async findOwn(actor: Actor, id: string): Promise<StoredAdvisory> {
    const stored = await this.deps.store.find(id);
    if (!stored || stored.id !== id || stored.origin !== 'private' || !stored.ownerPackage) throw new RegistryError('E_ADVISORY_NOT_FOUND', `No advisory ${id.slice(0, 100)} written in this registry.`);
    try {
      await this.authorize(actor, stored.ownerPackage);
    } catch (err) {
      // A draft's existence is not disclosed to those who may not see it.
      if (stored.state === 'draft') throw new RegistryError('E_ADVISORY_NOT_FOUND', `No advisory ${id.slice(0, 100)} written in this registry.`);
      throw err;
    }
    return stored;
  }

  private build(id: string, name: string, input: AdvisoryInput, previous: OsvRecord | null, modified: string, published: string | undefined): OsvRecord {
    const ranges = input.ranges ?? (input.vulnerable_versions !== undefined ? npmRangeToOsvRanges(input.vulnerable_versions) : previous?.affected?.[0]?.ranges);
    if (!ranges || ranges.length === 0) throw new RegistryError('E_ADVISORY_INVALID', 'Say which versions are affected: "vulnerable_versions" (an npm range) or "ranges" (OSV).');
    const summary = input.summary ?? previous?.summary;
    if (!summary) throw new RegistryError('E_ADVISORY_INVALID', 'An advisory needs a "summary".');
    const cvss = input.cvss === undefined ? previous?.severity?.[0]?.score ?? null : input.cvss;
    const cwe = input.cwe ?? (previous?.database_specific?.cwe_ids as string[] | undefined) ?? [];
    const withdrawn = input.withdrawn === undefined ? previous?.withdrawn : input.withdrawn ? modified : undefined;
    const record = {
      schema_version: '1.6.0',
      id,
      modified,
      ...(published ? { published } : {}),
      ...(withdrawn ? { withdrawn } : {}),
      aliases: [...(input.aliases ?? previous?.aliases ?? [])],
      summary,
      details: input.details ?? previous?.details ?? '',
      ...(cvss ? { severity: [{ type: cvss.startsWith('CVSS:4.0/') ? 'CVSS_V4' : 'CVSS_V3', score: cvss }] } : {}),
      affected: [{
        package: { ecosystem: 'npm', name, purl: `pkg:npm/${name.replace('@', '%40')}` },
        ranges,
      }],
      references: [...(input.references ?? previous?.references ?? [])],
      database_specific: { cwe_ids: cwe, source: 'bulwark' },
    };
    // The same checks as any imported record, then a non-semver version is an input error.
    const parsed = parseOsvRecord(record);
    try {
      packageRowsOf(parsed);
    } catch (err) {
      throw new RegistryError('E_ADVISORY_INVALID', (err as Error).message);
    }
    return parsed;
  }

  private write(stored: Pick<StoredAdvisory, 'state' | 'createdBy' | 'ownerPackage'>, record: OsvRecord): AdvisoryWrite {
    return { record, origin: 'private', state: stored.state, createdBy: stored.createdBy, ownerPackage: stored.ownerPackage, summary: summarize(record), packages: packageRowsOf(record) };
  }

  /** A later `modified` than the previous one, even within one millisecond. */
  private nextModified(previous: string | null): string {
    const now = this.deps.clock.now().getTime();
    const after = previous ? Date.parse(previous) + 1 : 0;
    return new Date(Math.max(now, after)).toISOString();
  }

  async create(actor: Actor, input: AdvisoryInput): Promise<AdvisoryView> {
    const name = input.package;
    if (!name) throw new RegistryError('E_ADVISORY_INVALID', 'Name the affected "package".');
    await this.authorize(actor, name);
    const userId = actor.kind === 'user' ? actor.user.id : null;
    const now = this.deps.clock.now();
    const prefix = `${ID_PREFIX}-${now.getUTCFullYear()}-`;
    let sequence = (await this.deps.store.countWithPrefix(prefix)) + 1;
    for (let attempt = 0; attempt < 20; attempt++, sequence++) {
      const id = `${prefix}${String(sequence).padStart(4, '0')}`;
      const record = this.build(id, name, input, null, this.nextModified(null), undefined);
      const meta = { state: 'draft' as const, createdBy: userId, ownerPackage: name };
      if (await this.deps.store.insertNew(this.write(meta, record))) return view({ id, modified: record.modified, origin: 'private', ...meta, record, withdrawn: false, summary: summarize(record) });
    }
    throw new RegistryError('E_INTERNAL', 'Could not allocate an advisory id; try again.');
  }

  async update(actor: Actor, id: string, input: AdvisoryInput): Promise<AdvisoryView> {
    const stored = await this.findOwn(actor, id);
    if (input.package !== undefined && input.package !== stored.ownerPackage) throw new RegistryError('E_ADVISORY_INVALID', 'An advisory cannot move to another package; withdraw it and write a new one.');
    const record = this.build(id, stored.ownerPackage!, input, stored.record, this.nextModified(stored.modified), stored.record.published);
    await this.deps.store.saveAll([this.write(stored, record)]);
    return view(stored, record);
  }

  async publish(actor: Actor, id: string): Promise<AdvisoryView> {
    const stored = await this.findOwn(actor, id);
    if (stored.state === 'published') return view(stored);
    const modified = this.nextModified(stored.modified);
    const record = parseOsvRecord({ ...stored.record, modified, published: modified });
    await this.deps.store.saveAll([this.write({ ...stored, state: 'published' }, record)]);
    return view(stored, record, 'published');
  }

  /** One advisory for its authors (drafts included). */
  async get(actor: Actor, id: string): Promise<AdvisoryView> {
    return view(await this.findOwn(actor, id));
  }

  /** The registry-written advisories of a package: all of them for its maintainers, published ones for everyone else. */
  async listForPackage(actor: Actor, name: string): Promise<AdvisoryView[]> {
    const all = await this.deps.store.listPrivate(name);
    let author = false;
    try {
      await this.authorize(actor, name);
      author = true;
    } catch {
      author = false;
    }
    return all.filter((a) => author || a.state === 'published').map((a) => advisoryView(a));
  }
}
