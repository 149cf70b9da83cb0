import semver from 'semver';
import type { AdvisoryPackageRow, AdvisorySummary } from './advisory-store.js';
import { npmPackagesOf, type OsvRecord } from './osv.js';
import { cvssOf, severityOfLabel, type NpmSeverity } from './severity.js';
import { affectedToNpmRange, fixedVersionsOf, NOTHING } from './version-ranges.js';

const CWE = /^CWE-\d+$/;

function cweOf(record: OsvRecord): string[] {
  const found = new Set<string>();
  const add = (list: unknown) => {
    if (Array.isArray(list)) for (const item of list) if (typeof item === 'string' && CWE.test(item)) found.add(item);
  };
  add(record.database_specific?.cwe_ids);
  for (const affected of record.affected ?? []) add(affected.database_specific?.cwe_ids);
  return [...found];
}

/** The vector a record carries: OSV `severity`, per-package severity, or the fixture/NSWG style `database_specific.severity.cvss_vector`. */
function vectorsOf(record: OsvRecord): string[] {
  const vectors: string[] = [];
  for (const s of record.severity ?? []) if (typeof s.score === 'string') vectors.push(s.score);
  for (const affected of record.affected ?? []) for (const s of affected.severity ?? []) if (typeof s.score === 'string') vectors.push(s.score);
  const specific = record.database_specific?.severity;
  if (specific && typeof specific === 'object' && typeof (specific as { cvss_vector?: unknown }).cvss_vector === 'string') {
    vectors.push((specific as { cvss_vector: string }).cvss_vector);
  }
  return vectors;
}

/**
 * Title, severity, CVSS and CWE of a record, as npm's audit shows them. Severity comes from the
 * highest-version CVSS vector the record carries (v4 over v3.x); failing that, from a label
 * (GitHub's `database_specific.severity`); failing that, "high", npm's own default.
 */
export function summarize(record: OsvRecord): AdvisorySummary {
  let cvss: { score: number; vector: string; version: number; severity: NpmSeverity } | null = null;
  for (const vector of vectorsOf(record)) {
    const scored = cvssOf(vector);
    if (scored && (!cvss || scored.version > cvss.version)) cvss = { ...scored };
  }
  const label = typeof record.database_specific?.severity === 'string' ? severityOfLabel(record.database_specific.severity) : null;
  const firstLine = (record.details ?? '').split('\n').find((line) => line.trim())?.trim();
  return {
    title: (record.summary?.trim() || firstLine || record.id).slice(0, 300),
    severity: cvss?.severity ?? label ?? 'high',
    cvssScore: cvss?.score ?? 0,
    cvssVector: cvss?.vector ?? null,
    cwe: cweOf(record),
    aliases: [...new Set(record.aliases ?? [])].filter((alias) => alias !== record.id),
  };
}

/**
 * One row per affected npm package: its npm range (several `affected` entries of one package are
 * joined with `||`) and fixed versions. Throws RangeError when a version is not semver.
 */
export function packageRowsOf(record: OsvRecord): AdvisoryPackageRow[] {
  return npmPackagesOf(record).map((name) => {
    const entries = (record.affected ?? []).filter((a) => a.package?.ecosystem === 'npm' && a.package.name === name);
    const ranges = entries.map(affectedToNpmRange).filter((range) => range !== NOTHING);
    const fixed = [...new Set(entries.flatMap(fixedVersionsOf))].sort(semver.compare);
    return { advisoryId: record.id, name, range: ranges.length ? ranges.join(' || ') : NOTHING, fixed };
  });
}
