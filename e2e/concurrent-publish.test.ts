// 20 concurrent publishes of the same new version with different tarballs: exactly one wins,
// the others are told the version exists, and what is stored is consistent with the winner.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fetchBytes, integrityOf, publishBody, putPackage } from '@bulwark/testkit';
import { packument, seed, startRegistry, type TestRegistry } from './support.js';

const N = 20;

describe('concurrent publishes of one version', () => {
  let env: TestRegistry;

  before(async () => {
    env = await startRegistry(['alice']);
  });

  after(async () => {
    await env?.close();
  });

  async function race(name: string, version: string, existing: string[]): Promise<void> {
    const bodies = Array.from({ length: N }, (_, i) => publishBody({
      name, version, registryUrl: env.reg.url, files: { 'contender.txt': `contender ${i} ${Math.random()}\n` },
    }));
    assert.equal(new Set(bodies.map((b) => b.integrity)).size, N, 'all tarballs differ');
    const results = await Promise.all(bodies.map((b) => putPackage(env.reg.url, name, b.body, env.users.alice!.token)));
    const winners = results.map((r, i) => ({ r, i })).filter(({ r }) => r.status >= 200 && r.status < 300);
    assert.equal(winners.length, 1, `exactly one 2xx, got: ${results.map((r) => r.status).join(',')}`);
    for (const r of results) {
      if (r.status >= 200 && r.status < 300) continue;
      assert.ok(r.status === 409 || r.status === 403, `losers get 409/403, got ${r.status} ${r.text}`);
      assert.match(String(r.json?.error ?? ''), /E_VERSION_EXISTS|cannot publish over/i, `loser error: ${r.text}`);
    }
    const winner = bodies[winners[0]!.i]!;
    const doc = await packument(env.reg, name);
    assert.deepEqual(Object.keys(doc.versions).sort(), [...existing, version].sort(), 'exactly that version was added');
    const v = doc.versions[version]!;
    assert.equal(v.dist.integrity, winner.integrity, 'the stored version is the winner');
    const tgz = await fetchBytes(v.dist.tarball);
    assert.equal(tgz.status, 200);
    assert.equal(integrityOf(tgz.bytes), v.dist.integrity, 'the served tarball matches the stored integrity');
    assert.ok(tgz.bytes.equals(winner.tarball));
    assert.equal(doc['dist-tags'].latest, version);
  }

  test(`concurrency: ${N} concurrent first publishes of a new package`, async () => {
    await race('race-new', '1.0.0', []);
  });

  test(`concurrency: ${N} concurrent publishes of a new version of an existing package`, async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'race-existing', version: '1.0.0' });
    await race('race-existing', '1.1.0', ['1.0.0']);
  });
});
