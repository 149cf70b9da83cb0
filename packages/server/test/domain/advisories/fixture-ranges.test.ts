import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import semver from 'semver';
import type { OsvAffected, OsvRecord } from '../../../src/domain/advisories/osv.js';
import { parseOsvRecord } from '../../../src/domain/advisories/osv.js';
import { affectedToNpmRange, isAffectedByOsv, npmRangeToOsvRanges, NPM_MATCH } from '../../../src/domain/advisories/version-ranges.js';
import { join } from 'node:path';
import { sharedFixturesDir } from '@bulwark/testkit';

const FIXTURE = join(sharedFixturesDir(), 'advisories', 'npm-advisories.jsonl');

function loadRecords(): OsvRecord[] {
  return readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((line) => parseOsvRecord(JSON.parse(line)));
}

/**
 * The fixture's range string as an npm range. GitHub writes ">= 1.2, < 1.4" (comma: and), and the
 * fixture joined some alternatives with nothing ("< 1.0.1>= 2.0.0, < 2.0.3"); npm writes spaces and
 * "||". Only the separators change; the bounds are the original's.
 */
function npmRangeOf(range: unknown): string | null {
  if (typeof range !== 'string') return null;
  const npm = range.replace(/(\d)(?=[<>=])/g, '$1 || ').replace(/,\s*/g, ' ');
  return semver.validRange(npm, NPM_MATCH) === null ? null : npm;
}

/** A small deterministic PRNG (mulberry32), seeded per record, so every run samples the same versions. */
function prng(seed: string): () => number {
  let a = 0;
  for (let i = 0; i < seed.length; i++) a = (Math.imul(a ^ seed.charCodeAt(i), 0x9e3779b1) + 1) | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Versions around every bound the record and its npm range name, plus seeded random ones. */
function sampleVersions(id: string, affected: OsvAffected, npmRange: string | null): string[] {
  const bounds = new Set<string>(['0.0.0', '0.0.1', '1.0.0', '99.0.0']);
  for (const range of affected.ranges ?? []) {
    for (const event of range.events) {
      const version = Object.values(event)[0] as string;
      const coerced = semver.valid(version, { loose: true }) ?? semver.coerce(version)?.version;
      if (coerced) bounds.add(coerced);
    }
  }
  if (npmRange && semver.validRange(npmRange, NPM_MATCH)) {
    for (const set of new semver.Range(npmRange, NPM_MATCH).set) for (const c of set) if (c.value !== '') bounds.add((c.semver as semver.SemVer).version);
  }
  const out = new Set<string>();
  for (const bound of bounds) {
    const v = semver.parse(bound)!;
    const base = `${v.major}.${v.minor}.${v.patch}`;
    out.add(v.version);
    out.add(base);
    out.add(`${base}-0`);
    out.add(`${base}-beta.1`);
    out.add(`${v.major}.${v.minor}.${v.patch + 1}`);
    out.add(`${v.major}.${v.minor}.${v.patch + 1}-rc.1`);
    if (v.patch > 0) out.add(`${v.major}.${v.minor}.${v.patch - 1}`);
    out.add(`${v.major}.${v.minor + 1}.0`);
    out.add(`${v.major + 1}.0.0`);
    out.add(`${v.major + 1}.0.0-alpha`);
  }
  const random = prng(id);
  for (let i = 0; i < 20; i++) {
    const pre = random() < 0.25 ? `-rc.${Math.floor(random() * 3)}` : '';
    out.add(`${Math.floor(random() * 12)}.${Math.floor(random() * 15)}.${Math.floor(random() * 25)}${pre}`);
  }
  return [...out];
}

const records = loadRecords();

describe('GEN-2d / CLI-2a: version matching over the real advisories (shared/fixtures/advisories, 2,695 records)', () => {
  test('GEN-2d: every OSV range becomes an npm range that round-trips through OSV unchanged', () => {
    let checked = 0;
    for (const record of records) {
      for (const affected of record.affected ?? []) {
        const npm = affectedToNpmRange(affected);
        assert.ok(semver.validRange(npm, NPM_MATCH), `${record.id}: ${npm} is a valid npm range`);
        const again = affectedToNpmRange({ ranges: npmRangeToOsvRanges(npm) });
        assert.equal(again, npm, `${record.id}: OSV -> npm -> OSV -> npm`);
        checked++;
      }
    }
    assert.ok(checked >= 2695, `checked ${checked} affected entries`);
  });

  test('CLI-2a: every original npm range string round-trips through OSV to an equivalent range, and to a fixed point', () => {
    let checked = 0;
    let unparsable = 0;
    for (const record of records) {
      const original = npmRangeOf(record.database_specific?.npm_range);
      if (typeof record.database_specific?.npm_range !== 'string') continue;
      if (original === null) {
        unparsable++; // GitHub-style "a, < b" joined without "||": not an npm range
        continue;
      }
      const ranges = npmRangeToOsvRanges(original);
      const back = affectedToNpmRange({ ranges });
      assert.equal(affectedToNpmRange({ ranges: npmRangeToOsvRanges(back) }), back, `${record.id}: fixed point`);
      for (const version of sampleVersions(record.id, { ranges }, original)) {
        assert.equal(semver.satisfies(version, back, NPM_MATCH), semver.satisfies(version, original, NPM_MATCH), `${record.id}: ${version} in "${original}" vs "${back}"`);
      }
      checked++;
    }
    assert.ok(checked >= 2690 && unparsable === 0, `checked ${checked} npm ranges (${unparsable} not npm ranges)`);
  });

  test('CLI-2a: for sampled versions, the OSV evaluation and the converted range answer as npm semver does on the original range', () => {
    let compared = 0;
    let skipped = 0;
    let greaterThanZero = 0;
    let misPaired = 0;
    for (const record of records) {
      const original = npmRangeOf(record.database_specific?.npm_range);
      const single = record.affected?.length === 1 ? record.affected[0]! : null;
      // events_approximate: the converter that made the fixture could not express the range exactly (e.g. ">2.51.0").
      // GitHub writes "> 0" for "every version" (malicious packages) and the fixture's events say
      // so (introduced 0); npm's semver reads ">0" as ">=1.0.0-0". The events are the record's truth.
      if (original === '> 0' || original === '>0') {
        greaterThanZero++;
        continue;
      }
      // Where the fixture's source glued alternatives together ("< 1.4.1>= 2.0.0, < 2.0.3"), its
      // converter paired the events wrongly (introduced 2.0.0, fixed 1.4.1): those events do not
      // describe the range, so there is nothing to agree with. Their npm ranges still round-trip above.
      const glued = /\d[<>=]/.test(String(record.database_specific?.npm_range));
      if (glued) {
        misPaired++;
        continue;
      }
      if (original === null || !single || record.database_specific?.events_approximate === true) {
        skipped++;
        continue;
      }
      const converted = new semver.Range(affectedToNpmRange(single), NPM_MATCH);
      for (const version of sampleVersions(record.id, single, original)) {
        const expected = semver.satisfies(version, original, NPM_MATCH);
        assert.equal(isAffectedByOsv(single, version), expected, `${record.id}: OSV evaluation of ${version} (npm range "${original}")`);
        assert.equal(semver.satisfies(version, converted, NPM_MATCH), expected, `${record.id}: converted range for ${version} (npm range "${original}")`);
        compared++;
      }
    }
    assert.ok(compared > 50_000, `compared ${compared} versions (${skipped} records skipped)`);
    assert.ok(skipped < 60 && greaterThanZero <= 7 && misPaired <= 172, `skipped ${skipped} records, ${greaterThanZero} "> 0", ${misPaired} mis-paired`);
  });
});
