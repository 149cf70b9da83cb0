import { HASH_SIZE, type HashReader, type StoredHash } from './merkle.js';
import { TlogError } from './tlog-error.js';

/**
 * Stores are asynchronous and HashReader is not: proofs, roots and appends read the same
 * coordinates whatever the hash values, so a dry run with placeholder hashes tells a store what
 * to fetch in one query; the real run then reads from `hashReaderFrom(fetched)`.
 */
export function hashesNeeded(compute: (read: HashReader) => unknown): Array<{ level: number; index: number }> {
  const needed = new Map<string, { level: number; index: number }>();
  const placeholder = new Uint8Array(HASH_SIZE);
  compute((level, index) => {
    needed.set(`${level}/${index}`, { level, index });
    return placeholder;
  });
  return [...needed.values()];
}

/** A HashReader over fetched hashes; reading one that was not fetched is an error, not a guess. */
export function hashReaderFrom(hashes: Iterable<StoredHash>): HashReader {
  const byCoordinate = new Map<string, Uint8Array>();
  for (const { level, index, hash } of hashes) byCoordinate.set(`${level}/${index}`, hash);
  return (level, index) => {
    const hash = byCoordinate.get(`${level}/${index}`);
    if (hash === undefined) throw new TlogError('E_TLOG_RANGE', `hash ${level}/${index} was not fetched`);
    return hash;
  };
}
