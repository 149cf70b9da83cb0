/**
 * A frozen multimap from string keys to small integer ids, stored as one sorted Float64Array of
 * (31-bit key hash × 2^22 + id): 8 bytes per pair instead of a Map entry and a string per key, so
 * tens of millions of delete-variants fit in a few hundred MB. Lookups return every id whose key
 * hashes alike; callers verify the real key (hash collisions are expected and harmless).
 */
const ID_BITS = 2 ** 22;
export const MAX_IDS = ID_BITS;

/** FNV-1a over UTF-16 code units, folded to 31 bits so hash × 2^22 + id stays an exact double. */
export function hash31(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) & 0x7fffffff;
}

/** hash31 of `key` with the character at `skip` left out, without building that string. */
export function hash31Skipping(key: string, skip: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    if (i === skip) continue;
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) & 0x7fffffff;
}

export class HashBucketsBuilder {
  private values = new Float64Array(1024);
  private size = 0;

  add(key: string, id: number): void {
    this.addHash(hash31(key), id);
  }

  /** Adds a pair by a hash from hash31 or hash31Skipping. */
  addHash(hash: number, id: number): void {
    if (id >= ID_BITS) throw new RangeError(`hash buckets hold at most ${ID_BITS} ids`);
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = hash * ID_BITS + id;
  }

  freeze(): HashBuckets {
    const packed = this.values.slice(0, this.size).sort();
    this.values = new Float64Array(0);
    return new HashBuckets(packed);
  }
}

export class HashBuckets {
  constructor(private readonly packed: Float64Array) {}

  get pairs(): number {
    return this.packed.length;
  }

  get bytes(): number {
    return this.packed.byteLength;
  }

  /** Calls `visit` with each id stored under a key hashing like `key`. */
  forEach(key: string, visit: (id: number) => void): void {
    this.forEachHash(hash31(key), visit);
  }

  forEachHash(hash: number, visit: (id: number) => void): void {
    const low = hash * ID_BITS;
    const high = low + ID_BITS;
    const packed = this.packed;
    let lo = 0;
    let hi = packed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (packed[mid]! < low) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < packed.length && packed[i]! < high; i++) visit(packed[i]! - low);
  }
}
