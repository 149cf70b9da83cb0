import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ITEMS, UnsafeRequestError, buildPlan, computeLevels, tokenShape, totpCode, type ItemResult, type Status } from '../src/index.js';
import { ProbeHttp } from '../src/http.js';

const all = (status: Status, overrides: Record<string, Status> = {}): ItemResult[] =>
  ITEMS.map((i) => ({ id: i.id, track: i.track, level: i.level, status: overrides[i.id] ?? status, declared: false, reason: 'x', evidence: [] }));

test('the catalogue has the 32 Principles items: AUTHN 12, AUTHZ 6, GEN 9, CLI 5', () => {
  const count = (p: string) => ITEMS.filter((i) => i.id.startsWith(p)).length;
  assert.deepEqual([ITEMS.length, count('AUTHN-'), count('AUTHZ-'), count('GEN-'), count('CLI-')], [32, 12, 6, 9, 5]);
});

test('levels: the highest level whose items are all met, plus the items met above it', () => {
  const levels = computeLevels(all('met', { 'AUTHN-2a': 'not-met', 'GEN-1b': 'partly', 'CLI-2a': 'cannot-tell' }));
  const authn = levels.find((l) => l.track === 'authn')!;
  assert.equal(authn.level, 1);
  assert.deepEqual(authn.metAbove, ['AUTHN-2b', 'AUTHN-2c', 'AUTHN-2d', 'AUTHN-3a', 'AUTHN-3b', 'AUTHN-3c']);
  assert.equal(levels.find((l) => l.track === 'general')!.level, 0, 'partly met is a gap');
  assert.equal(levels.find((l) => l.track === 'cli')!.level, 1, 'cannot tell is a gap');
  assert.equal(levels.find((l) => l.track === 'authz')!.level, 3);
  assert.equal(computeLevels(all('not-applicable'))[0]!.level, 3, 'not applicable does not hold a level back');
});

test('plan: missing items by level, dependencies first', () => {
  const plan = buildPlan(all('not-met'));
  assert.equal(plan.length, 32);
  const at = (id: string) => plan.findIndex((s) => s.id === id);
  assert.ok(at('AUTHN-1a') < at('AUTHN-1b'));
  assert.ok(at('CLI-2a') < at('GEN-2d'), 'GEN-2d builds on the audit data');
  assert.ok(plan.every((s, i) => i === 0 || plan[i - 1]!.level <= s.level));
  assert.ok(plan.every((s) => s.references.length > 0 && s.build.length > 0 && s.principle.length > 0));
  assert.deepEqual(buildPlan(all('met')), []);
});

test('safety: the probe client refuses writes without --allow-writes, and outside the scope with it', async () => {
  const ro = new ProbeHttp(new URL('http://127.0.0.1:9/'), { allowWrites: false, scope: '@mine' });
  await assert.rejects(ro.request('@mine%2fx', { method: 'PUT', write: { packageName: '@mine/x' } }), UnsafeRequestError);
  await assert.rejects(ro.request('-/user/org.couchdb.user:a', { method: 'PUT', write: {} }), UnsafeRequestError);
  await assert.rejects(ro.request('x', { method: 'DELETE' }), UnsafeRequestError, 'an unmarked DELETE is refused');
  await assert.rejects(ro.request('-/v1/login', { method: 'POST' }), UnsafeRequestError, 'only known read-only POSTs pass');
  const rw = new ProbeHttp(new URL('http://127.0.0.1:9/'), { allowWrites: true, scope: '@mine' });
  await assert.rejects(rw.request('other', { method: 'PUT', write: { packageName: 'other' } }), /outside the scope/);
  await assert.rejects(rw.request('@minex%2fy', { method: 'PUT', write: { packageName: '@minex/y' } }), /outside the scope/);
  // In scope it is sent (and fails to connect: port 9 is closed), i.e. it was not refused.
  assert.equal((await rw.request('@mine%2fy', { method: 'PUT', write: { packageName: '@mine/y' } })).status, 0);
  assert.equal((await ro.request('-/npm/v1/security/advisories/bulk', { method: 'POST', body: '{}' })).status, 0);
});

test('AUTHZ-1b, AUTHZ-3b: token shapes with prefix and CRC32 checksum', () => {
  assert.deepEqual(tokenShape('bwk_8EfwSA2SbpcUhABxIBXVWCSz3UGFzhPl1dx3Ks'), { prefix: 'bwk_', checksum: true });
  assert.deepEqual(tokenShape('bwk_8EfwSA2SbpcUhABxIBXVWCSz3UGFzhPl1dx3Kt'), { prefix: 'bwk_', checksum: false });
  assert.deepEqual(tokenShape('eyJhbGciOiJIUzI1NiJ9.e30.x'), { prefix: null, checksum: false });
});

test('TOTP codes follow RFC 6238 (test vector, SHA-1)', () => {
  // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s -> 94287082 (8 digits); 6 digits: 287082.
  assert.equal(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', new Date(59_000)), '287082');
});
