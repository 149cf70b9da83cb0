import type { MetadataOps } from '../domain/ports.js';
import { RegistryError } from '../domain/errors.js';
import { entryBytes, type LogEntry, type RegistryEvent } from '../domain/registry-event.js';
import {
  appendLeaf, consistencyProof, encodeBase64, encodeEntryBundle, encodeHashTile, hashLeaf, hashReaderFrom, hashesNeeded,
  inclusionProof, readTileHashes, signCheckpoint, treeHash, type HashReader, type NoteSigner, type Tile,
} from '../domain/tlog/index.js';

type LogStore = Pick<MetadataOps, 'allocateLogIndex' | 'insertLogEntry' | 'findLogHashes' | 'listLogEntries' | 'logSize'>;

/** Runs a Merkle computation over a store: one query for exactly the hashes it reads. */
async function withStoredHashes<T>(store: Pick<MetadataOps, 'findLogHashes'>, compute: (read: HashReader) => T): Promise<T> {
  const fetched = await store.findLogHashes(hashesNeeded(compute));
  return compute(hashReaderFrom(fetched));
}

/**
 * GEN-3b: appends an event to the transparency log inside the caller's transaction, with the
 * subtree hashes its leaf completes, so a change, its entry and the tree commit together or not at all.
 */
export async function recordEvent(tx: LogStore, event: RegistryEvent, now: Date): Promise<LogEntry> {
  const index = await tx.allocateLogIndex();
  const entry: LogEntry = { index, time: now.toISOString(), event };
  const leaf = hashLeaf(entryBytes(entry));
  const hashes = await withStoredHashes(tx, (read) => appendLeaf(index, leaf, read));
  await tx.insertLogEntry(entry, hashes);
  return entry;
}

function outOfRange(message: string): RegistryError {
  return new RegistryError('E_BAD_REQUEST', message);
}

/** The public side of the log: feed, signed checkpoints, proofs and tiles. */
export class TransparencyLog {
  private lastCheckpoint: { size: number; note: string } | undefined;

  constructor(private readonly deps: { store: LogStore; signer: NoteSigner; verifierKey: string; clock: { now(): Date } }) {}

  get origin(): string {
    return this.deps.signer.name;
  }

  get verifierKey(): string {
    return this.deps.verifierKey;
  }

  /** Entries from `since`, at most `limit`, and the log's size now. */
  async entries(since: number, limit: number): Promise<{ entries: LogEntry[]; size: number }> {
    const [entries, size] = await Promise.all([this.deps.store.listLogEntries(since, limit), this.deps.store.logSize()]);
    return { entries, size };
  }

  /** A C2SP checkpoint of the current tree, signed with the log key (re-signed only when it grew). */
  async checkpoint(): Promise<string> {
    const size = await this.deps.store.logSize();
    if (this.lastCheckpoint?.size === size) return this.lastCheckpoint.note;
    const root = await withStoredHashes(this.deps.store, (read) => treeHash(size, read));
    const note = signCheckpoint({ origin: this.origin, size, rootHash: root, extensions: [] }, this.deps.signer);
    this.lastCheckpoint = { size, note };
    return note;
  }

  async inclusionProof(index: number, size: number): Promise<string[]> {
    await this.checkSize(size);
    if (index >= size) throw outOfRange(`entry ${index} is not in a tree of size ${size}`);
    return (await withStoredHashes(this.deps.store, (read) => inclusionProof(size, index, read))).map(encodeBase64);
  }

  async consistencyProof(oldSize: number, newSize: number): Promise<string[]> {
    await this.checkSize(newSize);
    if (oldSize > newSize) throw outOfRange(`old size ${oldSize} exceeds new size ${newSize}`);
    return (await withStoredHashes(this.deps.store, (read) => consistencyProof(oldSize, newSize, read))).map(encodeBase64);
  }

  /** A C2SP tlog-tiles hash tile; only tiles within the current tree exist. */
  async hashTile(tile: Tile): Promise<Uint8Array> {
    const size = await this.deps.store.logSize();
    const first = tile.index * 256 * 2 ** (8 * tile.level);
    const span = tile.width * 2 ** (8 * tile.level);
    if (first + span > size) throw new RegistryError('E_NOT_FOUND', 'That tile is beyond the current tree.');
    return encodeHashTile(await withStoredHashes(this.deps.store, (read) => readTileHashes(tile, read)));
  }

  /** A C2SP entry bundle: the leaf bytes of up to 256 consecutive entries. */
  async entryBundle(index: number, width: number): Promise<Uint8Array> {
    const entries = await this.deps.store.listLogEntries(index * 256, width);
    if (entries.length !== width) throw new RegistryError('E_NOT_FOUND', 'That entry bundle is beyond the current tree.');
    return encodeEntryBundle(entries.map(entryBytes));
  }

  private async checkSize(size: number): Promise<void> {
    const current = await this.deps.store.logSize();
    if (size > current) throw outOfRange(`the log has ${current} entries, not ${size}`);
  }
}
