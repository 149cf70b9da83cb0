// Crash safety: publishes stream in while the registry is killed with SIGKILL. After a restart on
// the same data dir every acknowledged version is served intact, and an unacknowledged one is
// either fully there or entirely absent.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fetchBytes, getPackument, integrityOf, publishBody, putPackage, request, sleep } from '@bulwark/testkit';
import { startRegistry, type TestRegistry } from './support.js';
import { hashLeaf, parseCheckpoint, rootFromLeafHashes } from '@bulwark/server/domain/tlog/index';
import { entryBytes, type RegistryEvent } from '@bulwark/server/domain/registry-event';

describe('crash safety: kill -9 during publishes', () => {
  let env: TestRegistry;

  before(async () => {
    env = await startRegistry(['alice']);
  });

  after(async () => {
    await env?.close();
  });

  test('crash safety: acknowledged versions survive kill -9; unacknowledged ones are all-or-nothing', async (t) => {
    const name = 'crash-pkg';
    const token = env.users.alice!.token;
    const acked = new Map<string, string>();
    const attempted = new Map<string, string>();
    let patch = 0;
    const killDelaysMs = [0, 3, 7, 15, 30, 50];

    const publishNext = async (): Promise<{ version: string; ok: boolean; status?: number; error?: unknown }> => {
      const version = `1.0.${patch++}`;
      const p = publishBody({ name, version, registryUrl: env.reg.url, files: { 'payload.bin': randomBytes(256 * 1024) } });
      attempted.set(version, p.integrity);
      try {
        const r = await putPackage(env.reg.url, name, p.body, token);
        const ok = r.status >= 200 && r.status < 300;
        if (ok) acked.set(version, p.integrity);
        return { version, ok, status: r.status };
      } catch (error) {
        return { version, ok: false, error };
      }
    };

    async function verify(round: number, inFlight: string[]): Promise<void> {
      const res = await getPackument(env.reg.url, name);
      assert.equal(res.status, 200, `round ${round}: packument after restart -> ${res.status} ${res.text.slice(0, 200)}`);
      const doc = res.json!;
      for (const [version, integrity] of acked) {
        const v = doc.versions[version];
        assert.ok(v, `round ${round}: acknowledged ${version} is listed`);
        assert.equal(v.dist.integrity, integrity, `round ${round}: ${version} has the integrity that was published`);
      }
      for (const [version, v] of Object.entries(doc.versions)) {
        assert.ok(attempted.has(version), `round ${round}: unexpected version ${version}`);
        assert.equal(v.dist.integrity, attempted.get(version), `round ${round}: ${version} integrity`);
        const tgz = await fetchBytes(v.dist.tarball);
        assert.equal(tgz.status, 200, `round ${round}: ${version} is listed but its tarball answers ${tgz.status} (half-visible)`);
        assert.equal(integrityOf(tgz.bytes), v.dist.integrity, `round ${round}: ${version} tarball bytes match its integrity`);
      }
      // GEN-3b: the transparency log and the packages agree exactly: each listed version has its
      // version-published entry (same integrity), and the log has no entry for an absent version.
      const log = await request(env.reg.urlOf('-/tlog/entries?since=0&limit=1000'));
      assert.equal(log.status, 200, `round ${round}: log feed`);
      const feed = log.json as { size: number; entries: Array<{ index: number; time: string; type: string; version?: string; integrity?: string }> };
      assert.equal(feed.entries.length, feed.size, `round ${round}: the feed lists every entry`);
      feed.entries.forEach((e, i) => assert.equal(e.index, i, `round ${round}: log indexes have no gaps`));
      // The stored Merkle tree agrees with the entries: the signed checkpoint's root is the root
      // recomputed from every entry's leaf.
      const cp = parseCheckpoint((await request(env.reg.urlOf('-/tlog/checkpoint'))).text.split('\n\n')[0] + '\n');
      assert.equal(cp.size, feed.size, `round ${round}: checkpoint size`);
      const leaves = feed.entries.map(({ index, time, ...event }) => hashLeaf(entryBytes({ index, time, event: event as unknown as RegistryEvent })));
      assert.deepEqual(Buffer.from(rootFromLeafHashes(leaves)), Buffer.from(cp.rootHash), `round ${round}: tree root matches the entries`);
      const published = feed.entries.filter((e) => e.type === 'version-published');
      assert.deepEqual(published.map((e) => e.version).sort(), Object.keys(doc.versions).sort(), `round ${round}: one log entry per served version`);
      for (const e of published) {
        const v = doc.versions[e.version!] as { dist: { integrity: string; tlogIndex?: number } };
        assert.equal(e.integrity, v.dist.integrity, `round ${round}: ${e.version} log entry integrity`);
        assert.equal(v.dist.tlogIndex, e.index, `round ${round}: ${e.version} points at its log entry`);
      }
      const latest = doc['dist-tags'].latest;
      assert.ok(latest && doc.versions[latest], `round ${round}: latest (${latest}) points at a listed version`);
      for (const version of inFlight) {
        t.diagnostic(`round ${round}: unacknowledged ${version} is ${doc.versions[version] ? 'fully present' : 'absent'}`);
        if (doc.versions[version]) continue;
        // Absent: no tarball either, and the version can be published now (no leftover that blocks it).
        const tgz = await request(env.reg.urlOf(`${name}/-/${name}-${version}.tgz`));
        assert.equal(tgz.status, 404, `round ${round}: unlisted ${version} has no tarball`);
        const again = await publishNext();
        assert.ok(again.ok, `round ${round}: after the crash a fresh version can be published (${again.status ?? String(again.error)})`);
        const retry = publishBody({ name, version, registryUrl: env.reg.url, files: { 'payload.bin': randomBytes(1024) } });
        const r = await putPackage(env.reg.url, name, retry.body, token);
        assert.ok(r.status >= 200 && r.status < 300, `round ${round}: the unacknowledged ${version} is absent, so publishing it again works (got ${r.status} ${r.text})`);
        acked.set(version, retry.integrity);
        attempted.set(version, retry.integrity);
      }
    }

    for (let round = 0; round < killDelaysMs.length; round++) {
      // Publish sequentially, one after the other, until the registry dies under us.
      const target = acked.size + 3;
      let stop = false;
      let loopEnded = false;
      let loopFailure = '';
      const unacked: string[] = [];
      const loop = (async () => {
        while (!stop) {
          const r = await publishNext();
          if (!r.ok) {
            unacked.push(r.version);
            if (!stop) loopFailure = `${r.version} -> ${r.status ?? String(r.error)}`;
            break;
          }
        }
        loopEnded = true;
      })();
      while (acked.size < target && !loopEnded) await sleep(1);
      assert.equal(loopFailure, '', `round ${round}: a publish failed before the kill`);
      // After some acknowledgements, SIGKILL at a varying moment of the next publish.
      await sleep(killDelaysMs[round]!);
      stop = true;
      await env.reg.kill9();
      await loop;
      await env.reg.restart();
      await verify(round, unacked);
    }
    assert.ok(acked.size >= killDelaysMs.length * 3);
  });
});
