import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendLeaf, consistencyProof, emptyTreeHash, hashChildren, hashLeaf, inclusionProof,
  rootFromLeafHashes, treeHash, verifyConsistency, verifyInclusion,
} from '../../../src/domain/tlog/merkle.js';
import { TlogError } from '../../../src/domain/tlog/tlog-error.js';
import { MemoryHashStore } from './memory-hash-store.js';
import { hex, seededRandom, toHex } from './seeded-random.js';

// The RFC 6962 test vectors used by the Certificate Transparency implementations (C++ merkle_tree_test,
// Trillian, and github.com/transparency-dev/merkle proof/verify_test.go, from where these are taken):
// eight leaves, the roots of their first 1..8, and audit and consistency paths. Leaf numbers in the
// source are 1-based; indexes here are 0-based.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { index: 1, size: 5, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { index: 0, size: 1, proof: [] },
];
const CT_CONSISTENCY = [
  { oldSize: 1, newSize: 1, proof: [] },
  { oldSize: 1, newSize: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { oldSize: 6, newSize: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { oldSize: 2, newSize: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { oldSize: 6, newSize: 7, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

/** RFC 9162 2.1 written out recursively, as the oracle for the store-based versions. */
class Reference {
  private readonly memo = new Map<string, Uint8Array>();
  constructor(private readonly leaves: readonly Uint8Array[]) {}

  mth(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (n === 0) return emptyTreeHash();
    if (n === 1) return this.leaves[lo]!;
    const key = `${lo}:${hi}`;
    let hash = this.memo.get(key);
    if (hash === undefined) {
      const k = splitPoint(n);
      hash = hashChildren(this.mth(lo, lo + k), this.mth(lo + k, hi));
      this.memo.set(key, hash);
    }
    return hash;
  }

  path(m: number, lo: number, hi: number): Uint8Array[] {
    const n = hi - lo;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k ? [...this.path(m, lo, lo + k), this.mth(lo + k, hi)] : [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }

  /**
   * How the verifier combines each proof element, from the recursion (not from the verifier's bit
   * arithmetic): a verifier knows sizes only through this shape, so two (index, size) pairs with
   * one shape accept the same proofs, and pairs with different shapes never do.
   */
  static pathShape(m: number, n: number): string {
    if (n === 1) return '';
    const k = splitPoint(n);
    return m < k ? `${Reference.pathShape(m, k)}R` : `${Reference.pathShape(m - k, n - k)}L`;
  }

  static subproofShape(m: number, n: number, b: boolean): string {
    if (m === n) return b ? 'old-root ' : 'seed ';
    const k = splitPoint(n);
    return m <= k ? `${Reference.subproofShape(m, k, b)}R` : `${Reference.subproofShape(m - k, n - k, false)}L`;
  }

  subproof(m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
    const n = hi - lo;
    if (m === n) return b ? [] : [this.mth(lo, hi)];
    const k = splitPoint(n);
    return m <= k
      ? [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)]
      : [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function flipBit(proof: readonly Uint8Array[], i: number): Uint8Array[] {
  return proof.map((p, j) => (j === i ? Uint8Array.from(p, (byte, b) => (b === 0 ? byte ^ 0x10 : byte)) : p));
}

function ctStore(): { store: MemoryHashStore; leafHashes: Uint8Array[] } {
  const leafHashes = CT_LEAVES.map(hashLeaf);
  const store = new MemoryHashStore();
  store.append(leafHashes);
  return { store, leafHashes };
}

const SOME_HASH = hex('abacaba000000000000000000000000000000000000000000060061e00123456');

describe('merkle tree (RFC 9162)', () => {
  test('GEN-3b: leaf and node hashes follow RFC 9162 domain separation', () => {
    assert.equal(toHex(emptyTreeHash()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(toHex(hashLeaf(new Uint8Array())), CT_ROOTS[0]);
    assert.equal(toHex(rootFromLeafHashes([])), toHex(emptyTreeHash()));
    assert.notEqual(toHex(hashLeaf(hex('00'))), toHex(hashChildren(new Uint8Array(0), hex('00'))));
  });

  test('GEN-3b: roots of the CT test vector trees, in memory and from stored subtree hashes', () => {
    const { store, leafHashes } = ctStore();
    for (let size = 1; size <= 8; size++) {
      assert.equal(toHex(rootFromLeafHashes(leafHashes.slice(0, size))), CT_ROOTS[size - 1], `in memory, size ${size}`);
      assert.equal(toHex(treeHash(size, store.read)), CT_ROOTS[size - 1], `from the store, size ${size}`);
    }
    assert.equal(toHex(treeHash(0, store.read)), toHex(emptyTreeHash()));
  });

  test('GEN-3b: inclusion proofs equal the CT test vectors and verify', () => {
    const { store, leafHashes } = ctStore();
    for (const { index, size, proof } of CT_INCLUSION) {
      const generated = inclusionProof(size, index, store.read);
      assert.deepEqual(generated.map(toHex), proof, `leaf ${index} in ${size}`);
      assert.ok(verifyInclusion(leafHashes[index]!, index, size, generated, hex(CT_ROOTS[size - 1]!)));
    }
  });

  test('GEN-3b: consistency proofs equal the CT test vectors and verify', () => {
    const { store } = ctStore();
    for (const { oldSize, newSize, proof } of CT_CONSISTENCY) {
      const generated = consistencyProof(oldSize, newSize, store.read);
      assert.deepEqual(generated.map(toHex), proof, `${oldSize} -> ${newSize}`);
      assert.ok(verifyConsistency(oldSize, newSize, generated, hex(CT_ROOTS[oldSize - 1]!), hex(CT_ROOTS[newSize - 1]!)));
    }
  });

  test('GEN-3b: corrupted CT inclusion proofs fail (wrong index, size, leaf, root, proof)', () => {
    const { leafHashes } = ctStore();
    for (const { index, size, proof: hexProof } of CT_INCLUSION.filter((v) => v.proof.length > 0)) {
      const proof = hexProof.map(hex);
      const root = hex(CT_ROOTS[size - 1]!);
      const leaf = leafHashes[index]!;
      const probes: Array<[string, boolean]> = [
        ['index - 1', verifyInclusion(leaf, index - 1, size, proof, root)],
        ['index + 1', verifyInclusion(leaf, index + 1, size, proof, root)],
        ['index ^ 2', verifyInclusion(leaf, index ^ 2, size, proof, root)],
        ['size * 2', verifyInclusion(leaf, index, size * 2, proof, root)],
        ['size / 2', verifyInclusion(leaf, index, Math.floor(size / 2), proof, root)],
        ['wrong leaf', verifyInclusion(hashLeaf(hex('ff')), index, size, proof, root)],
        ['empty root', verifyInclusion(leaf, index, size, proof, emptyTreeHash())],
        ['random root', verifyInclusion(leaf, index, size, proof, SOME_HASH)],
        ['trailing root', verifyInclusion(leaf, index, size, [...proof, root], root)],
        ['preceding root', verifyInclusion(leaf, index, size, [root, ...proof], root)],
        ['trailing garbage', verifyInclusion(leaf, index, size, [...proof, new Uint8Array()], root)],
        ['removed component', verifyInclusion(leaf, index, size, proof.slice(0, -1), root)],
        ['inserted component', verifyInclusion(leaf, index, size, [proof[0]!, SOME_HASH, ...proof.slice(1)], root)],
        ...proof.map((_, i): [string, boolean] => [`flipped bit in proof[${i}]`, verifyInclusion(leaf, index, size, flipBit(proof, i), root)]),
      ];
      assert.deepEqual(probes.filter(([, ok]) => ok).map(([name]) => name), [], `leaf ${index} in ${size}`);
    }
  });

  test('GEN-3b: corrupted CT consistency proofs fail (wrong sizes, roots, proof)', () => {
    for (const { oldSize, newSize, proof: hexProof } of CT_CONSISTENCY.filter((v) => v.proof.length > 0)) {
      const proof = hexProof.map(hex);
      const r1 = hex(CT_ROOTS[oldSize - 1]!);
      const r2 = hex(CT_ROOTS[newSize - 1]!);
      const probes: Array<[string, boolean]> = [
        ['old - 1', verifyConsistency(oldSize - 1, newSize, proof, r1, r2)],
        ['old + 1', verifyConsistency(oldSize + 1, newSize, proof, r1, r2)],
        ['old ^ 2', verifyConsistency(oldSize ^ 2, newSize, proof, r1, r2)],
        ['new * 2', verifyConsistency(oldSize, newSize * 2, proof, r1, r2)],
        ['new / 2', verifyConsistency(oldSize, Math.floor(newSize / 2), proof, r1, r2)],
        ['wrong old root', verifyConsistency(oldSize, newSize, proof, SOME_HASH, r2)],
        ['wrong new root', verifyConsistency(oldSize, newSize, proof, r1, SOME_HASH)],
        ['swapped roots', verifyConsistency(oldSize, newSize, proof, r2, r1)],
        ['empty proof', verifyConsistency(oldSize, newSize, [], r1, r2)],
        ['trailing old root', verifyConsistency(oldSize, newSize, [...proof, r1], r1, r2)],
        ['trailing new root', verifyConsistency(oldSize, newSize, [...proof, r2], r1, r2)],
        ['preceding old root', verifyConsistency(oldSize, newSize, [r1, ...proof], r1, r2)],
        ['preceding proof[0]', verifyConsistency(oldSize, newSize, [proof[0]!, ...proof], r1, r2)],
        ['truncated', verifyConsistency(oldSize, newSize, proof.slice(0, -1), r1, r2)],
        ...proof.map((_, i): [string, boolean] => [`flipped bit in proof[${i}]`, verifyConsistency(oldSize, newSize, flipBit(proof, i), r1, r2)]),
      ];
      assert.deepEqual(probes.filter(([, ok]) => ok).map(([name]) => name), [], `${oldSize} -> ${newSize}`);
    }
  });

  test('trivial consistency cases are decided strictly', () => {
    const empty = emptyTreeHash();
    const a = hashLeaf(hex('01'));
    const b = hashLeaf(hex('02'));
    assert.equal(verifyConsistency(0, 0, [], empty, empty), true);
    assert.equal(verifyConsistency(0, 5, [], empty, a), true, 'the empty tree is a prefix of every tree');
    assert.equal(verifyConsistency(0, 5, [], a, b), false, 'but only with the empty-tree root');
    assert.equal(verifyConsistency(3, 3, [], a, a), true);
    assert.equal(verifyConsistency(3, 3, [], a, b), false, 'same size, different roots: a fork');
    assert.equal(verifyConsistency(3, 3, [empty], a, a), false, 'same size with a non-empty proof');
    assert.equal(verifyConsistency(0, 1, [empty], empty, a), false);
    assert.equal(verifyConsistency(2, 1, [], a, b), false, 'time travel to the past');
    assert.equal(verifyConsistency(1, 2, [], a, b), false, 'missing proof');
    assert.equal(verifyInclusion(a, 0, 1, [], a), true, 'a one-leaf tree: the root is the leaf hash');
    assert.equal(verifyInclusion(a, 0, 0, [], a), false);
    assert.equal(verifyInclusion(a, 1, 1, [], a), false);
    assert.equal(verifyInclusion(new Uint8Array(), 0, 1, [], new Uint8Array()), false, 'hashes must be 32 bytes');
  });

  test('proof generation refuses indexes and sizes outside the tree', () => {
    const { store } = ctStore();
    const range = (err: unknown) => err instanceof TlogError && err.code === 'E_TLOG_RANGE';
    assert.throws(() => inclusionProof(8, 8, store.read), range);
    assert.throws(() => inclusionProof(0, 0, store.read), range);
    assert.throws(() => inclusionProof(8, -1, store.read), range);
    assert.throws(() => consistencyProof(5, 4, store.read), range);
    assert.throws(() => treeHash(1.5, store.read), range);
    assert.throws(() => treeHash(9, store.read), /does not have/, 'a size past the store reads a missing hash');
    assert.deepEqual(consistencyProof(0, 8, store.read), []);
    assert.deepEqual(consistencyProof(8, 8, store.read), []);
  });

  test('GEN-3b: appendLeaf stores exactly the complete subtrees, each equal to its recursive hash', () => {
    const random = seededRandom(0x5eed1);
    const leaves = Array.from({ length: 300 }, () => hashLeaf(random.bytes(1 + random.int(40))));
    const reference = new Reference(leaves);
    const store = new MemoryHashStore();
    for (const leaf of leaves) {
      const added = appendLeaf(store.size, leaf, store.read);
      for (const s of added) store.hashes.set(`${s.level}/${s.index}`, s.hash);
      store.size++;
      assert.deepEqual(added[0], { level: 0, index: store.size - 1, hash: leaf });
    }
    let expected = 0;
    for (let level = 0; 2 ** level <= leaves.length; level++) expected += Math.floor(leaves.length / 2 ** level);
    assert.equal(store.hashes.size, expected, 'one stored hash per complete subtree');
    for (const [key, hash] of store.hashes) {
      const [level, index] = key.split('/').map(Number) as [number, number];
      const width = 2 ** level;
      assert.equal(toHex(hash), toHex(reference.mth(index * width, (index + 1) * width)), key);
    }
    const batched = new MemoryHashStore();
    batched.append(leaves.slice(0, 7));
    batched.append(leaves.slice(7, 130));
    batched.append(leaves.slice(130));
    assert.deepEqual([...batched.hashes.entries()].sort(), [...store.hashes.entries()].sort(), 'appendLeaves in batches stores the same');
  });

  test('GEN-3b: for random trees every inclusion proof verifies and a tampered one fails', () => {
    const random = seededRandom(0xb01a4c);
    const leaves = Array.from({ length: 300 }, (_, i) => hashLeaf(Uint8Array.of(i % 256, i >> 8, ...random.bytes(8))));
    const reference = new Reference(leaves);
    const store = new MemoryHashStore();
    store.append(leaves);
    const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 255, 256, 257, 300, ...Array.from({ length: 25 }, () => 1 + random.int(300))];
    let checked = 0;
    let wrongSizesRejected = 0;
    for (const size of sizes) {
      const root = treeHash(size, store.read);
      assert.equal(toHex(root), toHex(reference.mth(0, size)), `root of ${size}`);
      assert.equal(toHex(root), toHex(rootFromLeafHashes(leaves.slice(0, size))));
      const indexes = new Set([0, size - 1, ...Array.from({ length: 6 }, () => random.int(size))]);
      for (const index of indexes) {
        const proof = inclusionProof(size, index, store.read);
        assert.deepEqual(proof.map(toHex), reference.path(index, 0, size).map(toHex), `path of ${index} in ${size}`);
        const leaf = leaves[index]!;
        assert.ok(verifyInclusion(leaf, index, size, proof, root), `leaf ${index} in ${size}`);
        assert.equal(verifyInclusion(hashLeaf(random.bytes(9)), index, size, proof, root), false, 'modified leaf');
        if (size > 1) {
          const other = (index + 1 + random.int(size - 1)) % size;
          assert.equal(verifyInclusion(leaf, other, size, proof, root), false, `wrong index ${other} for ${index} in ${size}`);
        }
        for (const wrongSize of [size + 1, size - 1, size * 2, 1 + random.int(600)].filter((s) => s !== size && s > index)) {
          const sameShape = Reference.pathShape(index, wrongSize) === Reference.pathShape(index, size);
          assert.equal(verifyInclusion(leaf, index, wrongSize, proof, root), sameShape, `wrong size ${wrongSize} for ${index} in ${size}`);
          if (!sameShape) wrongSizesRejected++;
        }
        if (proof.length > 0) {
          assert.equal(verifyInclusion(leaf, index, size, proof.slice(0, -1), root), false, 'truncated');
          assert.equal(verifyInclusion(leaf, index, size, flipBit(proof, random.int(proof.length)), root), false, 'flipped');
        }
        assert.equal(verifyInclusion(leaf, index, size, [...proof, root], root), false, 'extended');
        checked++;
      }
    }
    assert.ok(checked > 150, `checked ${checked} proofs`);
    assert.ok(wrongSizesRejected > 300, `rejected ${wrongSizesRejected} wrong sizes`);
  });

  test('GEN-3b: for random trees every consistency proof verifies and a tampered one fails', () => {
    const random = seededRandom(0xc0451);
    const leaves = Array.from({ length: 300 }, () => hashLeaf(random.bytes(12)));
    const reference = new Reference(leaves);
    const store = new MemoryHashStore();
    store.append(leaves);
    const pairs: Array<[number, number]> = [[1, 2], [2, 3], [3, 4], [4, 8], [7, 8], [8, 9], [255, 256], [256, 257], [1, 300], [299, 300]];
    for (let i = 0; i < 150; i++) {
      const n = 1 + random.int(300);
      pairs.push([1 + random.int(n), n]);
    }
    let wrongSizesRejected = 0;
    for (const [m, n] of pairs) {
      const oldRoot = treeHash(m, store.read);
      const newRoot = treeHash(n, store.read);
      const proof = consistencyProof(m, n, store.read);
      if (m === n) {
        assert.deepEqual(proof, []);
        assert.ok(verifyConsistency(m, n, proof, oldRoot, newRoot));
        continue;
      }
      assert.deepEqual(proof.map(toHex), reference.subproof(m, 0, n, true).map(toHex), `proof ${m} -> ${n}`);
      assert.ok(verifyConsistency(m, n, proof, oldRoot, newRoot), `${m} -> ${n}`);
      assert.equal(verifyConsistency(m, n, proof, hashLeaf(random.bytes(4)), newRoot), false, 'rewritten old tree');
      assert.equal(verifyConsistency(m, n, proof, oldRoot, hashLeaf(random.bytes(4))), false, 'rewritten new tree');
      for (const [m2, n2] of [[m + 1, n], [m - 1, n], [m, n + 1], [m, n - 1], [m, 2 * n]] as const) {
        if (m2 < 1 || m2 >= n2) continue;
        const sameShape = Reference.subproofShape(m2, n2, true) === Reference.subproofShape(m, n, true);
        assert.equal(verifyConsistency(m2, n2, proof, oldRoot, newRoot), sameShape, `sizes ${m2} -> ${n2} for ${m} -> ${n}`);
        if (!sameShape) wrongSizesRejected++;
      }
      assert.equal(verifyConsistency(m, n, proof.slice(0, -1), oldRoot, newRoot), false, 'truncated');
      assert.equal(verifyConsistency(m, n, [...proof, newRoot], oldRoot, newRoot), false, 'extended');
      assert.equal(verifyConsistency(m, n, flipBit(proof, random.int(proof.length)), oldRoot, newRoot), false, 'flipped');
    }
    assert.ok(wrongSizesRejected > 400, `rejected ${wrongSizesRejected} wrong sizes`);
  });

  test('GEN-3b: a rewritten entry makes the new tree inconsistent with a checkpoint taken before', () => {
    const random = seededRandom(0xfa15e);
    const leaves = Array.from({ length: 100 }, () => hashLeaf(random.bytes(16)));
    const honest = new MemoryHashStore();
    honest.append(leaves);
    const seen = treeHash(60, honest.read);
    const rewritten = new MemoryHashStore();
    rewritten.append(leaves.map((leaf, i) => (i === 42 ? hashLeaf(hex('bad0')) : leaf)));
    const proof = consistencyProof(60, 100, rewritten.read);
    assert.equal(verifyConsistency(60, 100, proof, seen, treeHash(100, rewritten.read)), false);
    assert.equal(verifyConsistency(60, 100, consistencyProof(60, 100, honest.read), seen, treeHash(100, honest.read)), true);
  });
});
