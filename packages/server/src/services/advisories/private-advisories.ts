import type { Actor } from '../../domain/actor.js';
import type { AdvisoryStore, AdvisorySummary, AdvisoryWrite, StoredAdvisory } from '../../domain/advisories/advisory-store.js';
import { packageRowsOf, summarize } from '../../domain/advisories/advisory-summary.js';
import { isOsvId, parseOsvRecord, type OsvRange, type OsvRecord } from '../../domain/advisories/osv.js';
import { cvssOf } from '../../domain/advisories/severity.js';
import { npmRangeToOsvRanges } from '../../domain/advisories/version-ranges.js';
import { RegistryError } from '../../domain/errors.js';
import { isJsonObject } from '../../domain/json-object.js';
import type { Clock, MetadataStore } from '../../domain/ports.js';
import { enforce } from '../../policy/decision.js';
import { decideAdvisoryWrite } from '../../policy/advisory-authz.js';
import semver from 'semver';

/** What the authoring API takes (JSON). Every field but `package` is optional on update. */
export interface AdvisoryInput {
  readonly package?: string;
  readonly summary?: string;
  readonly details?: string;
  /** npm range of the affected versions, e.g. "<1.2.3" or ">=2.0.0 <2.1.4". */
  readonly vulnerable_versions?: string;
  /** Or OSV ranges (SEMVER/ECOSYSTEM), instead of vulnerable_versions. */
  readonly ranges?: readonly OsvRange[];
  /** A CVSS v3.x or v4.0 vector. */
  readonly cvss?: string | null;
  readonly cwe?: readonly string[];
  readonly aliases?: readonly string[];
  readonly references?: ReadonlyArray<{ type: string; url: string }>;
  /** true withdraws a published advisory (it stays served, marked withdrawn, and stops warning). */
  readonly withdrawn?: boolean;
}

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
const MAX_TEXT = 64 * 1024;

export function advisoryView(stored: StoredAdvisory): AdvisoryView {
  return { id: stored.id, state: stored.state, package: stored.ownerPackage, origin: stored.origin, withdrawn: stored.withdrawn, summary: stored.summary, record: stored.record };
}

function view(stored: StoredAdvisory, record: OsvRecord = stored.record, state = stored.state): AdvisoryView {
  return advisoryView({ ...stored, record, state, withdrawn: record.withdrawn !== undefined, summary: summarize(record) });
}

function text(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max) throw new RegistryError('E_ADVISORY_INVALID', `"${field}" must be text of at most ${max} characters.`);
  return value;
}

/** Checks the JSON body of a create or update request. */
export function parseAdvisoryInput(body: unknown): AdvisoryInput {
  if (!isJsonObject(body)) throw new RegistryError('E_ADVISORY_INVALID', 'The advisory must be a JSON object.');
  const cvss = body.cvss;
  if (cvss !== undefined && cvss !== null && (typeof cvss !== 'string' || !cvssOf(cvss))) throw new RegistryError('E_ADVISORY_INVALID', '"cvss" must be a CVSS v3.0, v3.1 or v4.0 vector.');
  const list = (value: unknown, field: string, check: (item: unknown) => boolean) => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length > 100 || !value.every(check)) throw new RegistryError('E_ADVISORY_INVALID', `"${field}" has an invalid entry.`);
    return value;
  };
  const range = text(body.vulnerable_versions, 'vulnerable_versions', 1000);
  if (range !== undefined && semver.validRange(range, { includePrerelease: true, loose: true }) === null) throw new RegistryError('E_ADVISORY_INVALID', `"vulnerable_versions" is not an npm range: ${range.slice(0, 100)}`);
  if (body.withdrawn !== undefined && typeof body.withdrawn !== 'boolean') throw new RegistryError('E_ADVISORY_INVALID', '"withdrawn" must be true or false.');
  return {
    package: text(body.package, 'package', 214),
    summary: text(body.summary, 'summary', 300),
    details: text(body.details, 'details', MAX_TEXT),
    vulnerable_versions: range,
    ranges: list(body.ranges, 'ranges', isJsonObject) as OsvRange[] | undefined,
    cvss: cvss as string | null | undefined,
    cwe: list(body.cwe, 'cwe', (c) => typeof c === 'string' && /^CWE-\d{1,6}$/.test(c)) as string[] | undefined,
    aliases: list(body.aliases, 'aliases', isOsvId) as string[] | undefined,
    references: list(body.references, 'references', (r) => isJsonObject(r) && typeof r.type === 'string' && typeof r.url === 'string' && /^https?:\/\//.test(r.url)) as AdvisoryInput['references'],
    withdrawn: body.withdrawn as boolean | undefined,
  };
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
