import { RegistryError } from '../errors.js';
import { isJsonObject } from '../json-object.js';

/**
 * The OSV schema (https://ossf.github.io/osv-schema/), the parts the registry reads. Records are
 * stored as received, so fields not named here survive an import and are served back unchanged.
 */
export type OsvEvent =
  | { readonly introduced: string }
  | { readonly fixed: string }
  | { readonly last_affected: string }
  | { readonly limit: string };

export interface OsvRange {
  readonly type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' | string;
  readonly repo?: string;
  readonly events: readonly OsvEvent[];
  readonly database_specific?: Record<string, unknown>;
}

export interface OsvAffected {
  readonly package?: { readonly ecosystem: string; readonly name: string; readonly purl?: string };
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
  readonly severity?: readonly OsvSeverity[];
  readonly ecosystem_specific?: Record<string, unknown>;
  readonly database_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  readonly type: string;
  readonly score: string;
}

export interface OsvRecord {
  readonly schema_version?: string;
  readonly id: string;
  readonly modified: string;
  readonly published?: string;
  readonly withdrawn?: string;
  readonly aliases?: readonly string[];
  readonly related?: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly severity?: readonly OsvSeverity[];
  readonly affected?: readonly OsvAffected[];
  readonly references?: ReadonlyArray<{ readonly type: string; readonly url: string }>;
  readonly credits?: ReadonlyArray<Record<string, unknown>>;
  readonly database_specific?: Record<string, unknown>;
  readonly [extra: string]: unknown;
}

const ID = /^[A-Za-z][A-Za-z0-9._-]*-[A-Za-z0-9._:-]+$/;

/** True for an OSV id or alias we accept (GHSA-…, CVE-…, BWK-…, NSWG-ECO-…, MAL-…). */
export function isOsvId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 100 && ID.test(value);
}

function bad(message: string): RegistryError {
  return new RegistryError('E_ADVISORY_INVALID', message);
}

/** A time the record carries when `modified` is missing; fixed (not "now"), so a re-import changes nothing. */
function fallbackModified(value: Record<string, unknown>): string {
  const candidates = [value.published, isJsonObject(value.database_specific) ? value.database_specific.published : undefined];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && !Number.isNaN(Date.parse(candidate))) return new Date(candidate).toISOString();
  }
  return '1970-01-01T00:00:00.000Z';
}

/**
 * Checks the shape of one OSV record and returns it typed. `modified` is required by the schema,
 * but some exports (the security-wg conversions among them) omit it: a fixed stand-in is used.
 */
export function parseOsvRecord(value: unknown): OsvRecord {
  if (!isJsonObject(value)) throw bad('An OSV record must be a JSON object.');
  if (!isOsvId(value.id)) throw bad(`An OSV record needs an "id" like GHSA-xxxx-xxxx-xxxx (got ${JSON.stringify(value.id)?.slice(0, 80)}).`);
  const modified = value.modified ?? fallbackModified(value);
  if (typeof modified !== 'string' || Number.isNaN(Date.parse(modified))) throw bad(`${value.id}: "modified" must be an RFC 3339 time.`);
  if (value.aliases !== undefined && (!Array.isArray(value.aliases) || !value.aliases.every(isOsvId))) throw bad(`${value.id}: "aliases" must be a list of ids.`);
  if (value.withdrawn !== undefined && (typeof value.withdrawn !== 'string' || Number.isNaN(Date.parse(value.withdrawn)))) throw bad(`${value.id}: "withdrawn" must be an RFC 3339 time.`);
  if (value.affected !== undefined) {
    if (!Array.isArray(value.affected)) throw bad(`${value.id}: "affected" must be a list.`);
    for (const affected of value.affected) {
      if (!isJsonObject(affected)) throw bad(`${value.id}: each "affected" entry must be an object.`);
      if (affected.package !== undefined && (!isJsonObject(affected.package) || typeof affected.package.name !== 'string' || typeof affected.package.ecosystem !== 'string')) {
        throw bad(`${value.id}: "affected[].package" needs "ecosystem" and "name".`);
      }
      if (affected.versions !== undefined && (!Array.isArray(affected.versions) || !affected.versions.every((v) => typeof v === 'string'))) throw bad(`${value.id}: "affected[].versions" must be a list of strings.`);
      if (affected.ranges !== undefined) {
        if (!Array.isArray(affected.ranges)) throw bad(`${value.id}: "affected[].ranges" must be a list.`);
        for (const range of affected.ranges) {
          if (!isJsonObject(range) || typeof range.type !== 'string' || !Array.isArray(range.events)) throw bad(`${value.id}: each range needs "type" and "events".`);
          for (const event of range.events) {
            if (!isJsonObject(event) || Object.keys(event).length !== 1) throw bad(`${value.id}: each range event has exactly one of introduced, fixed, last_affected, limit.`);
            const [key, version] = Object.entries(event)[0]!;
            if (!['introduced', 'fixed', 'last_affected', 'limit'].includes(key) || typeof version !== 'string') throw bad(`${value.id}: unknown range event ${JSON.stringify(event).slice(0, 80)}.`);
          }
        }
      }
    }
  }
  return { ...value, modified } as OsvRecord;
}

/** The npm packages a record names (ecosystem "npm"), in order, without duplicates. */
export function npmPackagesOf(record: OsvRecord): string[] {
  const names = new Set<string>();
  for (const affected of record.affected ?? []) {
    if (affected.package?.ecosystem === 'npm') names.add(affected.package.name);
  }
  return [...names];
}

/**
 * Which of several records describing one vulnerability (linked by aliases) the registry reports:
 * GitHub's (GHSA, the ids npm users know), then the registry's own (BWK), then others, CVE last.
 */
export function aliasPreference(id: string): number {
  if (id.startsWith('GHSA-')) return 0;
  if (id.startsWith('BWK-')) return 1;
  if (id.startsWith('CVE-')) return 3;
  return 2;
}

export function compareByPreference(a: string, b: string): number {
  return aliasPreference(a) - aliasPreference(b) || a.localeCompare(b);
}
