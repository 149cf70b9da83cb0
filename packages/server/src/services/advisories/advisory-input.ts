import semver from 'semver';
import { isOsvId, type OsvRange } from '../../domain/advisories/osv.js';
import { cvssOf } from '../../domain/advisories/severity.js';
import { RegistryError } from '../../domain/errors.js';
import { isJsonObject } from '../../domain/json-object.js';

const MAX_TEXT = 64 * 1024;

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

