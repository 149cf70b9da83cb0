import semver from 'semver';
import type { OsvAffected, OsvEvent, OsvRange } from './osv.js';

/**
 * OSV ranges <-> npm range strings. OSV SEMVER/ECOSYSTEM ranges order versions by semver
 * precedence alone; npm's audit matches with `{ includePrerelease: true, loose: true }`
 * (@npmcli/metavuln-calculator), which is the same order, so every conversion here is exact.
 */
export const NPM_MATCH = Object.freeze({ includePrerelease: true, loose: true });

/** A range that matches no version at all. */
export const NOTHING = '<0.0.0-0';

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

function eventOf(event: OsvEvent): { kind: Kind; version: string } {
  const [kind, version] = Object.entries(event)[0] as [Kind, string];
  return { kind, version };
}

const PARTIAL = /^v?(\d+)(?:\.(\d+))?$/;

/** A version string in canonical semver form; "0" (the start of time) stays "0". */
function canonical(version: string): string {
  if (version === '0') return '0';
  const parsed = semver.valid(version, { loose: true });
  if (!parsed) throw new RangeError(`"${version}" is not a semver version`);
  return parsed;
}

/**
 * One event in canonical form. Real records (GitHub's older ones among them) name partial versions
 * such as "1.14"; they are read as npm reads the same number in a range: `<1.14` is `<1.14.0-0`,
 * `>=1.2` is `>=1.2.0-0`, and `<=1.0` (last_affected) is `<1.1.0-0`, i.e. fixed at 1.1.0-0.
 */
function canonicalEvent(kind: Kind, version: string): { kind: Kind; version: string } {
  const partial = version === '0' ? null : PARTIAL.exec(version);
  if (!partial) return { kind, version: canonical(version) };
  const major = Number(partial[1]);
  const minor = partial[2] === undefined ? null : Number(partial[2]);
  if (kind === 'last_affected') {
    return { kind: 'fixed', version: minor === null ? `${major + 1}.0.0-0` : `${major}.${minor + 1}.0-0` };
  }
  return { kind, version: `${major}.${minor ?? 0}.0-0` };
}

function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '0') return -1;
  if (b === '0') return 1;
  return semver.compare(a, b);
}

/** Events sorted by version; ties keep their order (stable), as the OSV evaluation expects. */
function sortedEvents(range: OsvRange): Array<{ kind: Kind; version: string }> {
  return range.events.map(eventOf).map((e) => canonicalEvent(e.kind, e.version))
    .map((e, i) => ({ e, i }))
    .sort((x, y) => compareVersions(x.e.version, y.e.version) || x.i - y.i)
    .map(({ e }) => e);
}

function isVersionRange(range: OsvRange): boolean {
  return range.type === 'SEMVER' || range.type === 'ECOSYSTEM';
}

/** One OSV range as npm comparator sets (`>=1.0.0 <1.2.3`, ...), limits applied to each. */
function rangeToSets(range: OsvRange): string[] {
  const events = sortedEvents(range);
  const limits = events.filter((e) => e.kind === 'limit').map((e) => e.version);
  const limit = limits.length ? limits.sort(compareVersions)[0]! : null;
  const sets: string[] = [];
  let lower: string | null = null;
  for (const event of events) {
    if (event.kind === 'introduced') {
      if (lower === null) lower = event.version;
    } else if (event.kind === 'fixed' && lower !== null) {
      sets.push(join(lower, `<${event.version}`));
      lower = null;
    } else if (event.kind === 'last_affected' && lower !== null) {
      sets.push(join(lower, `<=${event.version}`));
      lower = null;
    }
  }
  if (lower !== null) sets.push(join(lower, null));
  return limit === null ? sets : sets.map((set) => (set === '*' ? `<${limit}` : `${set} <${limit}`));
}

function join(introduced: string, upper: string | null): string {
  if (upper === `<=${introduced}`) return `=${introduced}`;
  const low = introduced === '0' ? '' : `>=${introduced}`;
  return [low, upper].filter(Boolean).join(' ') || '*';
}

/** An entry that names neither version ranges nor versions affects every version (a malicious package, typically). */
function affectsAll(affected: OsvAffected): boolean {
  return (affected.ranges ?? []).filter(isVersionRange).length === 0 && (affected.versions ?? []).length === 0;
}

/**
 * The npm range string of one `affected` entry: its SEMVER/ECOSYSTEM ranges, or, when it has
 * none, its `versions` list; with neither, "*". Throws RangeError on a version that is not semver.
 */
export function affectedToNpmRange(affected: OsvAffected): string {
  if (affectsAll(affected)) return '*';
  const ranges = (affected.ranges ?? []).filter(isVersionRange);
  const sets = ranges.length > 0
    ? ranges.flatMap(rangeToSets)
    : (affected.versions ?? []).map((v) => `=${canonical(v)}`);
  if (sets.length === 0) return NOTHING;
  // One unbounded alternative covers all others (npm's semver collapses such a range to "*" too).
  return sets.includes('*') ? '*' : [...new Set(sets)].join(' || ');
}

/** OSV evaluation (the schema's "Evaluation" pseudo-code) of one version against one entry. */
export function isAffectedByOsv(affected: OsvAffected, version: string): boolean {
  const v = semver.parse(version, { loose: true });
  if (!v) return false;
  if (affectsAll(affected)) return true;
  const ranges = (affected.ranges ?? []).filter(isVersionRange);
  if (ranges.length === 0) return (affected.versions ?? []).some((listed) => semver.eq(canonical(listed), v));
  return ranges.some((range) => {
    const events = sortedEvents(range);
    if (events.some((e) => e.kind === 'limit' && semver.gte(v, e.version))) return false;
    let affectedNow = false;
    for (const event of events) {
      if (event.kind === 'introduced' && (event.version === '0' || semver.gte(v, event.version))) affectedNow = true;
      else if (event.kind === 'fixed' && semver.gte(v, event.version)) affectedNow = false;
      else if (event.kind === 'last_affected' && semver.gt(v, event.version)) affectedNow = false;
    }
    return affectedNow;
  });
}

/** The smallest version above `version` in semver precedence (so `>a` becomes `>=next(a)`). */
function nextVersion(version: semver.SemVer): string {
  if (version.prerelease.length > 0) return `${version.major}.${version.minor}.${version.patch}-${[...version.prerelease, 0].join('.')}`;
  return `${version.major}.${version.minor}.${version.patch + 1}-0`;
}

/**
 * An npm range string as OSV SEMVER ranges, one per `||` alternative (OSV unions an entry's
 * ranges, and alternatives may overlap, which one range's events must not).
 */
export function npmRangeToOsvRanges(range: string): OsvRange[] {
  const parsed = new semver.Range(range, NPM_MATCH);
  const out: OsvRange[] = [];
  for (const set of parsed.set) {
    let lower: { version: semver.SemVer; inclusive: boolean } | null = null;
    let upper: { version: semver.SemVer; inclusive: boolean } | null = null;
    for (const comparator of set) {
      if (comparator.value === '') continue; // `*`: no bound
      const { operator } = comparator;
      const version = comparator.semver as semver.SemVer;
      if (operator === '>' || operator === '>=' || operator === '' || operator === '=') {
        const candidate = { version, inclusive: operator !== '>' };
        if (!lower || semver.gt(version, lower.version) || (semver.eq(version, lower.version) && !candidate.inclusive)) lower = candidate;
      }
      if (operator === '<' || operator === '<=' || operator === '' || operator === '=') {
        const candidate = { version, inclusive: operator !== '<' };
        if (!upper || semver.lt(version, upper.version) || (semver.eq(version, upper.version) && !candidate.inclusive)) upper = candidate;
      }
    }
    const events: OsvEvent[] = [];
    if (!lower) events.push({ introduced: '0' });
    else events.push({ introduced: lower.inclusive ? lower.version.version : nextVersion(lower.version) });
    if (upper) events.push(upper.inclusive ? { last_affected: upper.version.version } : { fixed: upper.version.version });
    out.push({ type: 'SEMVER', events });
  }
  return out;
}

/** Every `fixed` version an entry names, lowest first. */
export function fixedVersionsOf(affected: OsvAffected): string[] {
  const fixed = new Set<string>();
  for (const range of affected.ranges ?? []) {
    if (!isVersionRange(range)) continue;
    for (const event of sortedEvents(range)) if (event.kind === 'fixed') fixed.add(event.version);
  }
  return [...fixed].sort(semver.compare);
}

/** True when `version` satisfies an npm range the way npm's audit decides it. */
export function isInNpmRange(version: string, range: string | semver.Range): boolean {
  return semver.satisfies(version, range, NPM_MATCH);
}
