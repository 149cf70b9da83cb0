import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../src/policy/decision.js';
import { NPM_UNPUBLISH_RULES, decideNameReuse, decideUnpublish, type UnpublishFacts } from '../../src/policy/unpublish-policy.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const POLICY = 'https://reg.test/-/bulwark/policies/unpublish';

function facts(overrides: Partial<UnpublishFacts> = {}): UnpublishFacts {
  return {
    target: 'foo@1.0.0', publishedAt: hoursAgo(1), now: NOW, weeklyDownloads: 0, ownerCount: 1,
    dependents: { names: [], total: 0 }, policyUrl: POLICY, ...overrides,
  };
}

function refusal(decision: Decision): string {
  assert.equal(decision.allow, false, 'expected a refusal');
  if (decision.allow) throw new Error('unreachable');
  assert.equal(decision.code, 'E_UNPUBLISH_FORBIDDEN');
  return decision.reason;
}

describe('GEN-2a: the unpublish policy (npm defaults)', () => {
  test('GEN-2a: within 72 hours an owner may unpublish, even with many downloads and owners', () => {
    assert.equal(decideUnpublish(NPM_UNPUBLISH_RULES, facts({ publishedAt: hoursAgo(71.9), weeklyDownloads: 10_000, ownerCount: 5 })).allow, true);
  });

  test('GEN-2a: dependents block an unpublish inside and after the window, named in the reason', () => {
    const dependents = { names: ['a', 'b', 'c'], total: 3 };
    const early = refusal(decideUnpublish(NPM_UNPUBLISH_RULES, facts({ dependents })));
    assert.match(early, /^Cannot unpublish foo@1\.0\.0: 3 packages depend on it \(a, b, c\)\. Use "npm deprecate foo@1\.0\.0 <message>" instead\. Policy: https:\/\/reg\.test\/-\/bulwark\/policies\/unpublish$/);
    const many = refusal(decideUnpublish(NPM_UNPUBLISH_RULES, facts({ dependents: { names: ['a', 'b', 'c'], total: 40 } })));
    assert.match(many, /40 packages depend on it \(a, b, c, \.\.\.\)/);
    const one = refusal(decideUnpublish(NPM_UNPUBLISH_RULES, facts({ dependents: { names: ['a'], total: 1 } })));
    assert.match(one, /1 package depends on it \(a\)/);
  });

  test('GEN-2a: after 72 hours: allowed only under 300 weekly downloads and with a single owner', () => {
    assert.equal(decideUnpublish(NPM_UNPUBLISH_RULES, facts({ publishedAt: hoursAgo(72), weeklyDownloads: 299 })).allow, true);
    const popular = refusal(decideUnpublish(NPM_UNPUBLISH_RULES, facts({ publishedAt: hoursAgo(100), weeklyDownloads: 300 })));
    assert.match(popular, /published 100 hours ago, after the 72-hour unpublish window, and it had 300 downloads in the last week \(the limit is under 300\)/);
    const shared = refusal(decideUnpublish(NPM_UNPUBLISH_RULES, facts({ publishedAt: hoursAgo(100), ownerCount: 2 })));
    assert.match(shared, /it has 2 owners \(the limit is 1\)/);
    const all = refusal(decideUnpublish(NPM_UNPUBLISH_RULES, facts({ publishedAt: hoursAgo(100), ownerCount: 2, weeklyDownloads: 5000, dependents: { names: ['x'], total: 1 } })));
    assert.match(all, /1 package depends on it \(x\); it was published .* 5000 downloads .* and it has 2 owners/);
  });

  test('GEN-2a: the rules come from config: window, limits, or unpublish disabled', () => {
    const strict = { enabled: true, windowHours: 0, maxWeeklyDownloads: 10, maxOwners: 3 };
    assert.match(refusal(decideUnpublish(strict, facts({ weeklyDownloads: 10 }))), /after the 0-hour unpublish window/);
    assert.equal(decideUnpublish(strict, facts({ weeklyDownloads: 9, ownerCount: 3 })).allow, true);
    assert.match(refusal(decideUnpublish({ ...NPM_UNPUBLISH_RULES, enabled: false }, facts())), /unpublishing is disabled on this registry/);
  });
});

describe('GEN-2a: reuse of a deleted name', () => {
  const deleted = { kind: 'unpublished' as const, deletedAt: hoursAgo(30), formerOwnerIds: [1] };
  const base = { name: 'foo', deleted, userId: 1, now: NOW, quarantineHours: 24, policyUrl: POLICY };

  test('GEN-2a: nobody else may take an unpublished name', () => {
    const d = decideNameReuse({ ...base, userId: 2 });
    assert.equal(d.allow, false);
    assert.match(d.allow ? '' : d.reason, /reserved for its former owners.*unless an operator releases it/);
  });

  test('GEN-2a: a former owner may publish new versions after the quarantine, not before', () => {
    assert.equal(decideNameReuse(base).allow, true);
    const early = decideNameReuse({ ...base, quarantineHours: 48 });
    assert.equal(early.allow, false);
    assert.match(early.allow ? '' : early.reason, /from 2026-11-27T06:00:00\.000Z/);
  });

  test('GEN-2a: a taken-down name is blocked for its former owners too', () => {
    const d = decideNameReuse({ ...base, deleted: { ...deleted, kind: 'taken-down' } });
    assert.equal(d.allow, false);
    assert.equal(d.allow ? '' : d.code, 'E_NAME_DELETED');
  });
});
