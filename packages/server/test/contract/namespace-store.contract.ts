/**
 * The GEN-2a part of the MetadataStore contract: tombstones, deleted names, the dependents index
 * and download counts. Every adapter runs it unchanged, through the port only.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetadataStore } from '../../src/domain/ports.js';
import type { TombstoneRecord } from '../../src/domain/namespace-store.js';

const T0 = new Date('2024-03-01T10:00:00.123Z');

function tombstone(name: string, version: string, overrides: Partial<TombstoneRecord> = {}): TombstoneRecord {
  return {
    name, version, integrity: `sha512-${name}-${version}`, blobKey: `${name}-${version}`.padEnd(128, '0'), kind: 'unpublished',
    actor: 'alice', reason: null, publishedAt: T0, removedAt: new Date(T0.getTime() + 60_000), ...overrides,
  };
}

export function runNamespaceContract(name: string, open: () => Promise<MetadataStore>): void {
  describe(`GEN-2a namespace contract: ${name}`, () => {
    let store: MetadataStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    test('tombstones are found by name@version and by tarball digest, and a rolled-back one is not kept', async () => {
      await store.insertTombstone(tombstone('a', '1.0.0'));
      await store.insertTombstone(tombstone('a', '1.0.1', { kind: 'taken-down', actor: 'ops', reason: 'malware' }));
      assert.deepEqual(await store.findTombstone('a', '1.0.0'), tombstone('a', '1.0.0'));
      assert.equal((await store.findTombstoneByBlobKey(tombstone('a', '1.0.1').blobKey))?.reason, 'malware');
      assert.equal(await store.findTombstone('a', '2.0.0'), null);
      await assert.rejects(store.transaction(async (tx) => {
        await tx.insertTombstone(tombstone('b', '1.0.0'));
        throw new Error('abort');
      }));
      assert.equal(await store.findTombstone('b', '1.0.0'), null);
      assert.deepEqual((await store.listTombstones('a')).map((t) => t.version), ['1.0.0', '1.0.1']);
    });

    test('deleted names are saved, replaced and released', async () => {
      const record = { name: 'gone', kind: 'unpublished' as const, actor: 'alice', reason: null, deletedAt: T0, formerOwnerIds: [1, 2], doc: '{"name":"gone"}' };
      await store.saveDeletedName(record);
      assert.deepEqual(await store.findDeletedName('gone'), record);
      await store.saveDeletedName({ ...record, kind: 'taken-down', actor: 'ops', reason: 'legal' });
      assert.equal((await store.findDeletedName('gone'))?.kind, 'taken-down');
      assert.equal(await store.releaseDeletedName('gone'), true);
      assert.equal(await store.releaseDeletedName('gone'), false);
      assert.equal(await store.findDeletedName('gone'), null);
    });

    test('dependents: other packages only, counted once, ranked', async () => {
      await store.insertDependencies('app1', '1.0.0', ['core', 'util']);
      await store.insertDependencies('app1', '1.1.0', ['core']);
      await store.insertDependencies('app2', '1.0.0', ['core']);
      await store.insertDependencies('core', '1.0.0', ['core']);
      assert.deepEqual(await store.listDependents('core', 10), { names: ['app1', 'app2'], total: 2 });
      assert.deepEqual(await store.listDependents('core', 1), { names: ['app1'], total: 2 });
      assert.deepEqual(await store.topDependedOn(2), [{ name: 'core', dependents: 3 }, { name: 'util', dependents: 1 }]);
      await store.deleteDependencies('app2', '1.0.0');
      assert.deepEqual(await store.listDependents('core', 10), { names: ['app1'], total: 1 });
    });

    test('download counts add up per day and rank packages', async () => {
      await store.addDownloads([{ name: 'a', day: '2024-03-01', count: 5 }, { name: 'b', day: '2024-03-02', count: 7 }]);
      await store.addDownloads([{ name: 'a', day: '2024-03-01', count: 2 }, { name: 'a', day: '2024-03-08', count: 1 }]);
      assert.equal(await store.sumDownloads('a', '2024-03-01'), 8);
      assert.equal(await store.sumDownloads('a', '2024-03-02'), 1);
      assert.equal(await store.sumDownloads('zzz', '2024-03-01'), 0);
      assert.deepEqual(await store.topDownloads('2024-03-01', 5), [{ name: 'a', downloads: 8 }, { name: 'b', downloads: 7 }]);
      assert.deepEqual(await store.topDownloads('2024-03-02', 1), [{ name: 'b', downloads: 7 }]);
    });
  });
}
