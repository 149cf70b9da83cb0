import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import semver from 'semver';
import { affectedToNpmRange, isAffectedByOsv, npmRangeToOsvRanges, NPM_MATCH } from '../../../src/domain/advisories/version-ranges.js';
import { cvssOf, severityOfScore } from '../../../src/domain/advisories/severity.js';
import { summarize } from '../../../src/domain/advisories/advisory-summary.js';
import { parseOsvRecord } from '../../../src/domain/advisories/osv.js';
import type { OsvAffected } from '../../../src/domain/advisories/osv.js';

const semverRange = (...events: object[]): OsvAffected => ({ ranges: [{ type: 'SEMVER', events: events as never }] });

describe('GEN-2d / CLI-2a: OSV ranges and npm ranges', () => {
  const cases: Array<{ name: string; affected: OsvAffected; npm: string; yes: string[]; no: string[] }> = [
    { name: 'introduced 0, fixed', affected: semverRange({ introduced: '0' }, { fixed: '1.2.3' }), npm: '<1.2.3', yes: ['0.0.0', '1.2.2', '1.2.3-beta.1', '0.1.0-alpha'], no: ['1.2.3', '2.0.0'] },
    { name: 'introduced, last_affected', affected: semverRange({ introduced: '1.0.0' }, { last_affected: '1.4.0' }), npm: '>=1.0.0 <=1.4.0', yes: ['1.0.0', '1.4.0'], no: ['0.9.9', '1.0.0-rc.1', '1.4.1-0', '1.4.1'] },
    { name: 'several intervals in one range', affected: semverRange({ introduced: '1.0.0' }, { fixed: '1.0.5' }, { introduced: '2.0.0' }, { fixed: '2.1.0' }), npm: '>=1.0.0 <1.0.5 || >=2.0.0 <2.1.0', yes: ['1.0.4', '2.0.9'], no: ['1.0.5', '1.9.0', '2.1.0'] },
    { name: 'open end', affected: semverRange({ introduced: '3.0.0' }), npm: '>=3.0.0', yes: ['3.0.0', '99.0.0'], no: ['2.9.9', '3.0.0-rc.1'] },
    { name: 'limit caps the range', affected: semverRange({ introduced: '0' }, { limit: '2.0.0' }), npm: '<2.0.0', yes: ['1.9.9'], no: ['2.0.0', '3.0.0'] },
    { name: 'prerelease bounds', affected: semverRange({ introduced: '2.0.0-alpha.1' }, { fixed: '2.0.0-beta.3' }), npm: '>=2.0.0-alpha.1 <2.0.0-beta.3', yes: ['2.0.0-alpha.1', '2.0.0-beta.2'], no: ['2.0.0-alpha.0', '2.0.0-beta.3', '2.0.0'] },
    { name: 'versions list', affected: { versions: ['1.0.0', '1.0.2'] }, npm: '=1.0.0 || =1.0.2', yes: ['1.0.0', '1.0.2'], no: ['1.0.1', '1.0.3'] },
    { name: 'ECOSYSTEM ranges are read like SEMVER for npm', affected: { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }, npm: '<4.17.21', yes: ['4.17.20'], no: ['4.17.21'] },
    { name: 'neither ranges nor versions: every version', affected: { ranges: [] }, npm: '*', yes: ['0.0.1', '9.9.9-rc.1'], no: [] },
    { name: 'GIT ranges are ignored', affected: { ranges: [{ type: 'GIT', repo: 'https://example.com/r', events: [{ introduced: 'abc' }] }], versions: ['1.0.0'] }, npm: '=1.0.0', yes: ['1.0.0'], no: ['1.0.1'] },
  ];
  for (const c of cases) {
    test(`CLI-2a: ${c.name}`, () => {
      assert.equal(affectedToNpmRange(c.affected), c.npm);
      for (const v of c.yes) {
        assert.ok(isAffectedByOsv(c.affected, v), `${v} is affected (OSV)`);
        assert.ok(semver.satisfies(v, c.npm, NPM_MATCH), `${v} is in ${c.npm} (npm)`);
      }
      for (const v of c.no) {
        assert.ok(!isAffectedByOsv(c.affected, v), `${v} is not affected (OSV)`);
        assert.ok(!semver.satisfies(v, c.npm, NPM_MATCH), `${v} is not in ${c.npm} (npm)`);
      }
      assert.equal(affectedToNpmRange({ ranges: npmRangeToOsvRanges(c.npm) }), c.npm, 'npm -> OSV -> npm');
    });
  }

  test('CLI-2a: npm ranges with exclusive lower bounds, carets and tildes become exact OSV events', () => {
    assert.deepEqual(npmRangeToOsvRanges('>1.2.3'), [{ type: 'SEMVER', events: [{ introduced: '1.2.4-0' }] }]);
    assert.deepEqual(npmRangeToOsvRanges('^1.2.3'), [{ type: 'SEMVER', events: [{ introduced: '1.2.3' }, { fixed: '2.0.0-0' }] }]);
    assert.deepEqual(npmRangeToOsvRanges('~0.4.1 || 1.x'), [
      { type: 'SEMVER', events: [{ introduced: '0.4.1' }, { fixed: '0.5.0-0' }] },
      { type: 'SEMVER', events: [{ introduced: '1.0.0-0' }, { fixed: '2.0.0-0' }] },
    ]);
    assert.deepEqual(npmRangeToOsvRanges('*'), [{ type: 'SEMVER', events: [{ introduced: '0' }] }]);
  });

  test('CLI-2a: partial versions in old records read as npm reads them in a range', () => {
    const affected = semverRange({ introduced: '0' }, { fixed: '1.14' });
    assert.equal(affectedToNpmRange(affected), '<1.14.0-0');
    assert.equal(affectedToNpmRange(semverRange({ introduced: '2.0' }, { last_affected: '2.0' })), '>=2.0.0-0 <2.1.0-0');
    assert.throws(() => affectedToNpmRange(semverRange({ introduced: 'banana' })), RangeError);
  });
});

describe('GEN-2d / CLI-2a: severity from CVSS', () => {
  test('CLI-2a: CVSS v3.0, v3.1 and v4.0 vectors are scored and mapped to npm severities', () => {
    assert.deepEqual(cvssOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')?.score, 9.8);
    assert.equal(cvssOf('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N')?.severity, 'moderate');
    assert.equal(cvssOf('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')?.score, 9.3);
    assert.equal(cvssOf('AV:N/AC:L/Au:N/C:P/I:P/A:P'), null, 'CVSS v2 is not used');
    assert.equal(cvssOf('CVSS:3.1/garbage'), null);
    assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOfScore), ['info', 'low', 'low', 'moderate', 'moderate', 'high', 'high', 'critical', 'critical']);
  });

  test('CLI-2a: a v4 vector wins over v3; without a vector GitHub\'s label; without either npm\'s default "high"', () => {
    const base = { id: 'GHSA-1111-2222-3333', modified: '2026-01-01T00:00:00Z', affected: [] };
    const both = summarize(parseOsvRecord({ ...base, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' }, { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }] }));
    assert.equal(both.severity, 'critical');
    assert.equal(summarize(parseOsvRecord({ ...base, database_specific: { severity: 'MODERATE' } })).severity, 'moderate');
    assert.equal(summarize(parseOsvRecord(base)).severity, 'high');
    assert.equal(summarize(parseOsvRecord(base)).title, 'GHSA-1111-2222-3333');
  });
});
