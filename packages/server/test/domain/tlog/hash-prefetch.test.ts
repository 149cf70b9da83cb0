import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashReaderFrom, hashesNeeded } from '../../../src/domain/tlog/hash-prefetch.js';
import { appendLeaves, consistencyProof, hashLeaf, inclusionProof, treeHash } from '../../../src/domain/tlog/merkle.js';
import { TlogError } from '../../../src/domain/tlog/tlog-error.js';
import { MemoryHashStore } from './memory-hash-store.js';
import { seededRandom } from './seeded-random.js';

describe('hash prefetch for asynchronous stores', () => {
  test('GEN-3b: a dry run names every hash a proof reads, and few of them', () => {
    const random = seededRandom(0xfe7c4);
    const store = new MemoryHashStore();
    store.append(Array.from({ length: 1000 }, () => hashLeaf(random.bytes(8))));
    const fetch = (needed: Array<{ level: number; index: number }>) =>
      hashReaderFrom(needed.map(({ level, index }) => ({ level, index, hash: store.read(level, index) })));
    for (let i = 0; i < 50; i++) {
      const size = 1 + random.int(1000);
      const index = random.int(size);
      const oldSize = 1 + random.int(size);
      const computations = [
        (read: typeof store.read) => treeHash(size, read),
        (read: typeof store.read) => inclusionProof(size, index, read),
        (read: typeof store.read) => consistencyProof(oldSize, size, read),
      ];
      for (const compute of computations) {
        const needed = hashesNeeded(compute);
        assert.ok(needed.length <= 2 * Math.log2(size) + 2, `${needed.length} reads at size ${size}`);
        assert.deepEqual(compute(fetch(needed)), compute(store.read));
      }
    }
  });

  test('appends need only the left siblings, which a batch mostly supplies itself', () => {
    const leaves = Array.from({ length: 9 }, (_, i) => hashLeaf(Uint8Array.of(i)));
    assert.deepEqual(hashesNeeded((read) => appendLeaves(7, leaves.slice(0, 1), read)), [
      { level: 0, index: 6 }, { level: 1, index: 2 }, { level: 2, index: 0 },
    ]);
    assert.deepEqual(hashesNeeded((read) => appendLeaves(8, leaves, read)), [{ level: 3, index: 0 }]);
  });

  test('reading a hash that was not fetched is an error', () => {
    const read = hashReaderFrom([]);
    assert.throws(() => read(0, 0), (err: unknown) => err instanceof TlogError && err.code === 'E_TLOG_RANGE');
  });
});
