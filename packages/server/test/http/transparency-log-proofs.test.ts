import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publishBody } from '@bulwark/testkit';
import { entryBytes } from '../../src/domain/registry-event.js';
import { decodeBase64, hashLeaf, openCheckpoint, parseVerifierKey, verifyConsistency, verifyInclusion } from '../../src/domain/tlog/index.js';
import { bearer, inProcessRegistry } from './harness.js';

test('GEN-3b: signed checkpoints, inclusion and consistency proofs verify; a rewritten entry is caught', async () => {
  const reg = await inProcessRegistry({ tlog: { origin: 'registry.test/tlog' } });
  try {
    const alice = await reg.user('alice');
    const headers = { 'content-type': 'application/json', ...bearer(alice) };
    const publish = (version: string) => reg.app.inject({ method: 'PUT', url: '/proved', headers, payload: JSON.stringify(publishBody({ name: 'proved', version }).body) });
    const verifier = parseVerifierKey((await reg.app.inject({ url: '/-/tlog/key' })).body.trim());
    assert.equal(verifier.name, 'registry.test/tlog');
    const checkpoint = async () => openCheckpoint((await reg.app.inject({ url: '/-/tlog/checkpoint' })).body, verifier, { origin: 'registry.test/tlog' }).checkpoint;

    for (const v of ['1.0.0', '1.0.1', '1.0.2']) assert.equal((await publish(v)).statusCode, 201);
    const first = await checkpoint();
    assert.equal(first.size, 6, 'three publishes, each with its dist-tag move');
    for (const v of ['1.0.3', '1.0.4']) assert.equal((await publish(v)).statusCode, 201);
    const second = await checkpoint();
    assert.equal(second.size, 10);

    const consistency = (await reg.app.inject({ url: `/-/tlog/proof/consistency?old=${first.size}&new=${second.size}` })).json();
    assert.ok(verifyConsistency(first.size, second.size, consistency.proof.map(decodeBase64), first.rootHash, second.rootHash));

    const feed = (await reg.app.inject({ url: '/-/tlog/entries?since=0' })).json();
    for (const e of feed.entries) {
      const { index, time, ...event } = e;
      const leaf = hashLeaf(entryBytes({ index, time, event }));
      const proof = (await reg.app.inject({ url: `/-/tlog/proof/inclusion?index=${index}&size=${second.size}` })).json();
      assert.ok(verifyInclusion(leaf, index, second.size, proof.proof.map(decodeBase64), second.rootHash), `entry ${index} is included`);
    }
    const byName = (await reg.app.inject({ url: `/-/tlog/proof/inclusion?name=proved&version=1.0.3&size=${second.size}` })).json();
    assert.equal(byName.index, (await reg.app.inject({ url: '/proved' })).json().versions['1.0.3'].dist.tlogIndex);

    // An operator rewrites history in the database: the entry no longer hashes to the committed leaf.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${reg.dataDir}/registry.sqlite`);
    db.prepare("update tlog_entries set entry = replace(entry, '1.0.1', '9.9.9') where idx = 2").run();
    db.close();
    const tampered = (await reg.app.inject({ url: '/-/tlog/entries?since=2&limit=1' })).json().entries[0];
    assert.equal(tampered.version, '9.9.9');
    const { index, time, ...event } = tampered;
    const proof = (await reg.app.inject({ url: `/-/tlog/proof/inclusion?index=2&size=${second.size}` })).json();
    assert.equal(verifyInclusion(hashLeaf(entryBytes({ index, time, event })), 2, second.size, proof.proof.map(decodeBase64), second.rootHash), false);

    assert.equal((await reg.app.inject({ url: `/-/tlog/proof/inclusion?index=0&size=${second.size + 1}` })).statusCode, 400);
    assert.equal((await reg.app.inject({ url: '/-/tlog/proof/consistency?old=9&new=3' })).statusCode, 400);
  } finally {
    await reg.close();
  }
});

test('GEN-3b: tiles rebuild the same root as the checkpoint', async () => {
  const reg = await inProcessRegistry();
  try {
    const alice = await reg.user('alice');
    const headers = { 'content-type': 'application/json', ...bearer(alice) };
    for (let i = 0; i < 3; i++) {
      const res = await reg.app.inject({ method: 'PUT', url: '/tiled', headers, payload: JSON.stringify(publishBody({ name: 'tiled', version: `1.0.${i}` }).body) });
      assert.equal(res.statusCode, 201);
    }
    const { rootFromLeafHashes, decodeHashTile, decodeEntryBundle, parseCheckpoint } = await import('../../src/domain/tlog/index.js');
    const cp = parseCheckpoint((await reg.app.inject({ url: '/-/tlog/checkpoint' })).body.split('\n\n')[0] + '\n');
    assert.equal(cp.size, 6);
    const tile = await reg.app.inject({ url: '/-/tlog/tile/0/000.p/6' });
    assert.equal(tile.statusCode, 200);
    const leaves = decodeHashTile(new Uint8Array(tile.rawPayload), 6);
    assert.deepEqual(Buffer.from(rootFromLeafHashes(leaves)), Buffer.from(cp.rootHash));
    const bundle = decodeEntryBundle(new Uint8Array((await reg.app.inject({ url: '/-/tlog/tile/entries/000.p/6' })).rawPayload), 6);
    assert.deepEqual(bundle.map((b) => Buffer.from(hashLeaf(b)).toString('hex')), leaves.map((l) => Buffer.from(l).toString('hex')));
    assert.equal((await reg.app.inject({ url: '/-/tlog/tile/0/000.p/7' })).statusCode, 404);
    assert.equal((await reg.app.inject({ url: '/-/tlog/tile/0/000' })).statusCode, 404);
    assert.equal((await reg.app.inject({ url: '/-/tlog/tile/nonsense' })).statusCode, 404);
  } finally {
    await reg.close();
  }
});
