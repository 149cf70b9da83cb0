import semver from 'semver';
import type { AdvisoryStore } from '../../domain/advisories/advisory-store.js';
import type { OsvRecord } from '../../domain/advisories/osv.js';
import { NPM_MATCH } from '../../domain/advisories/version-ranges.js';
import { RegistryError } from '../../domain/errors.js';
import { isJsonObject } from '../../domain/json-object.js';
import type { AdvisoryIndex } from './advisory-index.js';

interface Query {
  readonly name: string | null;
  readonly version: string | null;
  readonly commit: boolean;
}

/** `pkg:npm/%40scope/name@1.2.3` -> name and version; null for another ecosystem's purl. */
function parsePurl(purl: string): { name: string; version: string | null } | null {
  if (!purl.startsWith('pkg:npm/')) return null;
  let rest = purl.slice('pkg:npm/'.length).split(/[?#]/)[0]!;
  let version: string | null = null;
  const at = rest.lastIndexOf('@');
  if (at > 0 && rest[at - 1] !== '/') {
    version = decodeURIComponent(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  try {
    return { name: decodeURIComponent(rest), version };
  } catch {
    return null;
  }
}

function parseQuery(value: unknown): Query {
  if (!isJsonObject(value)) throw new RegistryError('E_BAD_REQUEST', 'A query must be an object.');
  if (typeof value.commit === 'string') return { name: null, version: null, commit: true };
  let version = typeof value.version === 'string' ? value.version : null;
  const pkg = value.package;
  if (!isJsonObject(pkg)) throw new RegistryError('E_BAD_REQUEST', 'A query needs "package" ({name, ecosystem} or {purl}) or "commit".');
  if (typeof pkg.purl === 'string') {
    const parsed = parsePurl(pkg.purl);
    // Another ecosystem's purl: a valid query with no npm answers.
    if (!parsed) return { name: null, version: null, commit: false };
    if (parsed.version !== null && version !== null) throw new RegistryError('E_BAD_REQUEST', 'The version is given twice (purl and "version").');
    return { name: parsed.name, version: version ?? parsed.version, commit: false };
  }
  if (typeof pkg.name !== 'string') throw new RegistryError('E_BAD_REQUEST', 'The query\'s package needs a "name".');
  if (pkg.ecosystem !== undefined && pkg.ecosystem !== 'npm') return { name: null, version: null, commit: false };
  version = version === '' ? null : version;
  return { name: pkg.name, version, commit: false };
}

const MAX_BATCH = 1000;

/**
 * The OSV API (osv.dev's v1 shape) over the registry's advisories, so OSV tooling (osv-scanner,
 * etc.) can use Bulwark as its source. Only npm packages; commit queries have no answers (no GIT ranges).
 */
export class OsvApi {
  constructor(private readonly deps: { store: AdvisoryStore; index: AdvisoryIndex }) {}

  /** `GET /v1/vulns/{id}`: by id or alias; withdrawn records are served (marked), drafts are not. */
  async vuln(idOrAlias: string): Promise<OsvRecord> {
    const found = await this.deps.store.find(idOrAlias);
    if (!found || found.state !== 'published') throw new RegistryError('E_ADVISORY_NOT_FOUND', `No advisory ${idOrAlias.slice(0, 100)}.`);
    return found.record;
  }

  private async matchingIds(query: Query): Promise<string[]> {
    if (query.commit || query.name === null) return [];
    const entries = (await this.deps.index.forPackages([query.name])).get(query.name) ?? [];
    if (query.version === null) return entries.map((e) => e.row.advisoryId);
    if (!semver.valid(query.version, NPM_MATCH)) return [];
    return entries.filter((e) => semver.satisfies(query.version!, e.range, NPM_MATCH)).map((e) => e.row.advisoryId);
  }

  /** `POST /v1/query`: full records; everything fits one page, so a `page_token` is accepted and no next token is given. */
  async query(body: unknown): Promise<{ vulns?: OsvRecord[] }> {
    const ids = await this.matchingIds(parseQuery(body));
    if (ids.length === 0) return {};
    const records: OsvRecord[] = [];
    for (const id of ids) {
      const found = await this.deps.store.find(id);
      if (found) records.push(found.record);
    }
    return { vulns: records };
  }

  /** `POST /v1/querybatch`: per query, ids and modified times only (as osv.dev answers). */
  async queryBatch(body: unknown): Promise<{ results: Array<{ vulns?: Array<{ id: string; modified: string }> }> }> {
    if (!isJsonObject(body) || !Array.isArray(body.queries)) throw new RegistryError('E_BAD_REQUEST', 'The body must be {"queries": [...]}.');
    if (body.queries.length > MAX_BATCH) throw new RegistryError('E_BAD_REQUEST', `At most ${MAX_BATCH} queries per batch.`);
    const queries = body.queries.map(parseQuery);
    const names = [...new Set(queries.map((q) => q.name).filter((n): n is string => n !== null))];
    const index = await this.deps.index.forPackages(names);
    const results = queries.map((query) => {
      if (query.commit || query.name === null) return {};
      const entries = index.get(query.name) ?? [];
      const version = query.version;
      const hits = version === null ? entries
        : semver.valid(version, NPM_MATCH) ? entries.filter((e) => semver.satisfies(version, e.range, NPM_MATCH)) : [];
      return hits.length ? { vulns: hits.map((e) => ({ id: e.row.advisoryId, modified: e.row.modified })) } : {};
    });
    return { results };
  }
}
