import semver from 'semver';
import { RegistryError } from '../../domain/errors.js';
import { isJsonObject } from '../../domain/json-object.js';
import { NPM_MATCH } from '../../domain/advisories/version-ranges.js';
import type { AdvisoryIndex, IndexEntry } from './advisory-index.js';

/** One advisory as npm's bulk audit response carries it (npm-registry-api.md 6.1). */
export interface NpmBulkAdvisory {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly severity: string;
  readonly vulnerable_versions: string;
  readonly cwe: readonly string[];
  readonly cvss: { readonly score: number; readonly vectorString: string | null };
}

/** Where a human reads an advisory: the web UI's advisory page (stable, under the registry's base URL, given without a trailing slash). */
export function advisoryPageUrl(baseUrl: string, id: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/-/advisories/${encodeURIComponent(id)}`;
}

export function toNpmAdvisory(entry: IndexEntry, baseUrl: string): NpmBulkAdvisory {
  const { row } = entry;
  return {
    id: row.advisoryId,
    url: advisoryPageUrl(baseUrl, row.advisoryId),
    title: row.summary.title,
    severity: row.summary.severity,
    vulnerable_versions: row.range,
    cwe: row.summary.cwe,
    cvss: { score: row.summary.cvssScore, vectorString: row.summary.cvssVector },
  };
}

const MAX_PACKAGES = 100_000;
const MAX_VERSIONS_PER_PACKAGE = 1_000;

/**
 * CLI-2a: `POST /-/npm/v1/security/advisories/bulk`, the request every `npm install` and
 * `npm audit` makes. Answers from the precomputed per-package index: one generation check and,
 * for packages not yet in memory, one indexed lookup; never a scan of the database.
 */
export class NpmAudit {
  constructor(private readonly index: AdvisoryIndex) {}

  async bulk(body: unknown, baseUrl: string): Promise<Record<string, NpmBulkAdvisory[]>> {
    if (!isJsonObject(body)) throw new RegistryError('E_BAD_REQUEST', 'The bulk audit body must be an object of package name to version list.');
    const names = Object.keys(body);
    if (names.length > MAX_PACKAGES) throw new RegistryError('E_BAD_REQUEST', `At most ${MAX_PACKAGES} packages per audit request.`);
    const requested = new Map<string, string[]>();
    for (const name of names) {
      const versions = body[name];
      if (!Array.isArray(versions) || versions.length > MAX_VERSIONS_PER_PACKAGE || !versions.every((v) => typeof v === 'string')) {
        throw new RegistryError('E_BAD_REQUEST', `The versions of ${name.slice(0, 214)} must be a list of strings.`);
      }
      requested.set(name, versions as string[]);
    }
    const index = await this.index.forPackages(names);
    const out: Record<string, NpmBulkAdvisory[]> = {};
    for (const [name, versions] of requested) {
      const entries = index.get(name) ?? [];
      if (entries.length === 0) continue;
      // Only advisories that touch a version in the tree (npm re-checks each range itself).
      const valid = versions.filter((v) => semver.valid(v, NPM_MATCH));
      const hits = entries.filter((entry) => valid.some((v) => semver.satisfies(v, entry.range, NPM_MATCH)));
      if (hits.length > 0) out[name] = hits.map((entry) => toNpmAdvisory(entry, baseUrl));
    }
    return out;
  }
}
