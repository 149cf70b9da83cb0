import { appendLeaves, type HashReader } from '../../../src/domain/tlog/merkle.js';

/** A store of complete-subtree hashes fed only through appendLeaves; reading a missing hash throws. */
export class MemoryHashStore {
  readonly hashes = new Map<string, Uint8Array>();
  size = 0;
  readonly read: HashReader = (level, index) => {
    const hash = this.hashes.get(`${level}/${index}`);
    if (hash === undefined) throw new Error(`read of a hash the store does not have: ${level}/${index} at size ${this.size}`);
    return hash;
  };

  append(leafHashes: readonly Uint8Array[]): void {
    for (const stored of appendLeaves(this.size, leafHashes, this.read)) this.hashes.set(`${stored.level}/${stored.index}`, stored.hash);
    this.size += leafHashes.length;
  }
}
