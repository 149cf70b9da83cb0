import { createHash } from 'node:crypto';
import { TlogError } from './tlog-error.js';

/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, proofs and their verification.
 * Written by hand: no maintained npm library offers proofs over lazily read, stored subtree
 * hashes, which is what lets the registry answer at any tree size without loading the tree.
 *
 * Coordinates: the hash at (level, index) is the hash of the complete subtree of 2^level leaves
 * starting at leaf index * 2^level; level 0 holds the leaf hashes. Proof generation reads only
 * such complete subtrees, so a store that keeps every complete subtree hash (see `appendLeaf`)
 * can serve any proof for any past tree size: complete subtrees never change as the log grows.
 *
 * Sizes and indexes are JS numbers (safe integers, up to 2^53 - 1); no bit operators are used
 * on them because those truncate to 32 bits.
 */

export const HASH_SIZE = 32;

/** The hash of the complete subtree at (level, index). Must throw if the store lacks it. */
export type HashReader = (level: number, index: number) => Uint8Array;

export interface StoredHash {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** RFC 9162 2.1.1: MTH({d}) = SHA-256(0x00 || d). */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return digest(createHash('sha256').update(LEAF_PREFIX).update(data));
}

/** RFC 9162 2.1.1: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return digest(createHash('sha256').update(NODE_PREFIX).update(left).update(right));
}

/** RFC 9162 2.1.1: the hash of the empty tree is SHA-256 of the empty string. */
export function emptyTreeHash(): Uint8Array {
  return digest(createHash('sha256'));
}

/** Root of a tree whose level-0 hashes are given, all in memory (small trees, tiles, tests). */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyTreeHash();
  // Pairing left to right and lifting a lone last node unchanged gives the RFC's split at the
  // largest power of two below n, without recursion.
  let level = [...hashes];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** The root hash of the tree of the first `size` leaves. */
export function treeHash(size: number, read: HashReader): Uint8Array {
  checkSize(size, 'size');
  return size === 0 ? emptyTreeHash() : rangeHash(0, size, read);
}

/**
 * RFC 9162 2.1.3.1 PATH(index, D[size]): the audit path, nearest sibling first. Walks down from
 * the root instead of recursing; every sibling is a complete subtree or a right edge.
 */
export function inclusionProof(size: number, index: number, read: HashReader): Uint8Array[] {
  checkSize(size, 'size');
  checkSize(index, 'index');
  if (index >= size) throw new TlogError('E_TLOG_RANGE', `leaf ${index} is not in a tree of size ${size}`);
  const siblings: Uint8Array[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (index < lo + k) {
      siblings.push(rangeHash(lo + k, hi, read));
      hi = lo + k;
    } else {
      siblings.push(read(log2(k), lo / k));
      lo += k;
    }
  }
  return siblings.reverse();
}

/**
 * RFC 9162 2.1.4.1 PROOF(oldSize, D[newSize]) = SUBPROOF(oldSize, D[newSize], true), deepest
 * node first. Empty when there is nothing to prove (oldSize 0 or equal sizes).
 */
export function consistencyProof(oldSize: number, newSize: number, read: HashReader): Uint8Array[] {
  checkSize(oldSize, 'old size');
  checkSize(newSize, 'new size');
  if (oldSize > newSize) throw new TlogError('E_TLOG_RANGE', `old size ${oldSize} exceeds new size ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const nodes: Uint8Array[] = [];
  let m = oldSize; // the old tree's leaves within [lo, hi)
  let lo = 0;
  let hi = newSize;
  let wholeOldTree = true; // the SUBPROOF flag b: the old root itself is known to the verifier
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      if (!wholeOldTree) nodes.push(rangeHash(lo, hi, read));
      break;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      nodes.push(rangeHash(lo + k, hi, read));
      hi = lo + k;
    } else {
      nodes.push(read(log2(k), lo / k));
      m -= k;
      lo += k;
      wholeOldTree = false;
    }
  }
  return nodes.reverse();
}

/** RFC 9162 2.1.3.2: does `proof` show leaf `index` with `leafHash` in the tree `root` of `size`? */
export function verifyInclusion(
  leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(size) || index >= size) return false;
  if (!isHash(leafHash) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * RFC 9162 2.1.4.2: does `proof` show the tree `oldRoot` of `oldSize` is a prefix of `newRoot`?
 * The trivial cases the RFC leaves out are decided strictly: equal sizes need equal roots and an
 * empty proof; size 0 needs the empty-tree root and an empty proof.
 */
export function verifyConsistency(
  oldSize: number, newSize: number, proof: readonly Uint8Array[], oldRoot: Uint8Array, newRoot: Uint8Array,
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && bytesEqual(oldRoot, emptyTreeHash());
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

/**
 * The hashes to store when the leaf `leafHash` is appended to a tree of `size` leaves: the leaf
 * itself and every complete subtree it closes. `read` must return the hashes stored so far
 * (only left siblings, all older, are read).
 */
export function appendLeaf(size: number, leafHash: Uint8Array, read: HashReader): StoredHash[] {
  checkSize(size, 'size');
  if (!isHash(leafHash)) throw new TlogError('E_TLOG_MALFORMED', 'a leaf hash is 32 bytes');
  const added: StoredHash[] = [{ level: 0, index: size, hash: leafHash }];
  let hash = leafHash;
  let index = size;
  let level = 0;
  while (index % 2 === 1) {
    hash = hashChildren(read(level, index - 1), hash);
    index = (index - 1) / 2;
    level++;
    added.push({ level, index, hash });
  }
  return added;
}

/** `appendLeaf` for a batch: later leaves see the hashes the earlier ones produced. */
export function appendLeaves(size: number, leafHashes: readonly Uint8Array[], read: HashReader): StoredHash[] {
  const pending = new Map<string, Uint8Array>();
  const readThrough: HashReader = (level, index) => pending.get(`${level}/${index}`) ?? read(level, index);
  const added: StoredHash[] = [];
  leafHashes.forEach((leafHash, i) => {
    for (const stored of appendLeaf(size + i, leafHash, readThrough)) {
      pending.set(`${stored.level}/${stored.index}`, stored.hash);
      added.push(stored);
    }
  });
  return added;
}

/**
 * MTH(D[lo:hi]) from complete subtrees, largest first, folded from the right. Every range the
 * RFC recursion visits starts at a multiple of a power of two at least its width, so each
 * piece is aligned and stored.
 */
function rangeHash(lo: number, hi: number, read: HashReader): Uint8Array {
  const parts: Uint8Array[] = [];
  let start = lo;
  for (let level = log2(largestPowerOfTwoAtMost(hi - lo)); start < hi; level--) {
    const width = 2 ** level;
    if (start + width <= hi) {
      parts.push(read(level, start / width));
      start += width;
    }
  }
  let hash = parts.pop()!;
  while (parts.length > 0) hash = hashChildren(parts.pop()!, hash);
  return hash;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function largestPowerOfTwoAtMost(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}

/** Exact for powers of two, which is all it is given. */
function log2(powerOfTwo: number): number {
  let level = 0;
  for (let k = powerOfTwo; k > 1; k /= 2) level++;
  return level;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && largestPowerOfTwoAtMost(n) === n;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function checkSize(n: number, what: string): void {
  if (!isSize(n)) throw new TlogError('E_TLOG_RANGE', `${what} must be a non-negative safe integer, got ${n}`);
}

function isHash(hash: Uint8Array): boolean {
  return hash instanceof Uint8Array && hash.length === HASH_SIZE;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function digest(hash: ReturnType<typeof createHash>): Uint8Array {
  return new Uint8Array(hash.digest());
}
