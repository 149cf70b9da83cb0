import type { MetadataOps, MetadataStore } from '../domain/ports.js';
import { RegistryError } from '../domain/errors.js';
import { entryBytes, type LogEntry, type RegistryEvent } from '../domain/registry-event.js';
import {
  appendLeaf, consistencyProof, encodeBase64, encodeEntryBundle, encodeHashTile, hashLeaf, hashReaderFrom, hashesNeeded,
  inclusionProof, signCheckpoint, signKeyRotation, treeHash, openCheckpoint, parseCheckpoint, parseNote, parseVerifierKey, bytesEqual,
  type HashReader, type NoteSignature, type NoteSigner, type NoteVerifier, type Tile,
} from '../domain/tlog/index.js';

import type { ChangeFeed } from './change-feed.js';

type LogStore = Pick<MetadataOps,
  | 'allocateLogIndex' | 'insertLogEntry' | 'findLogHashes' | 'listLogHashes' | 'listLogEntries' | 'logSize'
  | 'findLatestCheckpoint' | 'saveCheckpoint' | 'updateCheckpointNote'>;

/** Full tiles and bundles never change: up to this many are kept encoded in memory. */
const TILE_CACHE_MAX = 4096;

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

/** The public side of the log: feed, signed checkpoints (with witness cosignatures), proofs and tiles. */
export class TransparencyLog {
  private readonly tileCache = new Map<string, Uint8Array>();
  private readonly logVerifier: NoteVerifier;

  constructor(
    private readonly deps: {
      store: LogStore;
      signer: NoteSigner;
      verifierKey: string;
      clock: { now(): Date };
      /** 0: a new checkpoint whenever a reader asks and the tree grew. */
      checkpointIntervalMs: number;
      witnesses: readonly NoteVerifier[];
      /** Wakes long-polling readers when this node commits a change. */
      feed: ChangeFeed;
    },
  ) {
    this.logVerifier = parseVerifierKey(deps.verifierKey);
  }

  get origin(): string {
    return this.deps.signer.name;
  }

  get verifierKey(): string {
    return this.deps.verifierKey;
  }

  /**
   * Entries from `since`, at most `limit`, and the log's size now. With `waitMs`, an empty answer
   * is held until an entry arrives or the time is up (long poll). A change on this node wakes the
   * reader at once; changes made by other nodes are seen by re-reading every second.
   */
  async entries(since: number, limit: number, waitMs = 0, signal?: AbortSignal): Promise<{ entries: LogEntry[]; size: number }> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const [entries, size] = await Promise.all([this.deps.store.listLogEntries(since, limit), this.deps.store.logSize()]);
      const left = deadline - Date.now();
      if (entries.length > 0 || left <= 0 || signal?.aborted) return { entries, size };
      await this.nextChange(Math.min(left, 1000), signal);
    }
  }

  private nextChange(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const unsubscribe = this.deps.feed.subscribe(done);
      signal?.addEventListener('abort', done);
    });
  }

  /**
   * The latest C2SP checkpoint, signed with the log key and carrying the witness cosignatures
   * collected for it. A new one is issued when the tree grew and the interval has passed. Issued
   * checkpoints are stored, so every node and every restart serves the same note.
   */
  async checkpoint(): Promise<string> {
    const now = this.deps.clock.now();
    const latest = await this.deps.store.findLatestCheckpoint();
    if (latest && now.getTime() - latest.issuedAt.getTime() < this.deps.checkpointIntervalMs) return latest.note;
    const size = await this.deps.store.logSize();
    if (latest && latest.size === size) return latest.note;
    const root = await withStoredHashes(this.deps.store, (read) => treeHash(size, read));
    const note = signCheckpoint({ origin: this.origin, size, rootHash: root, extensions: [] }, this.deps.signer);
    await this.deps.store.saveCheckpoint({ size, note, issuedAt: now });
    // Ed25519 is deterministic, so a node that raced us stored the very same note.
    return note;
  }

  /**
   * A witness returns the current checkpoint with its cosignature (C2SP tlog-cosignature). Only
   * configured witnesses count, and only for the checkpoint the log is serving now.
   */
  async addCosignatures(note: string): Promise<number> {
    if (this.deps.witnesses.length === 0) throw new RegistryError('E_NOT_FOUND', 'This log accepts no witness cosignatures (tlog.witnesses is empty).');
    const opened = openCheckpoint(note, this.logVerifier, { origin: this.origin, witnesses: this.deps.witnesses });
    const latest = await this.deps.store.findLatestCheckpoint();
    const served = latest ? parseCheckpoint(parseNote(latest.note).text) : undefined;
    if (!latest || !served || opened.checkpoint.size !== served.size || !bytesEqual(opened.checkpoint.rootHash, served.rootHash)) {
      throw new RegistryError('E_REV_CONFLICT', 'That is not the checkpoint this log is serving now; fetch /-/tlog/checkpoint again.');
    }
    const isWitness = (sig: NoteSignature) => this.deps.witnesses.some((w) => w.name === sig.name && w.keyId === sig.keyId);
    const fromWitnesses = opened.note.verified.filter(isWitness);
    if (fromWitnesses.length === 0) throw new RegistryError('E_FORBIDDEN', 'No cosignature from a configured witness verifies.');
    // Keep earlier cosignatures of other witnesses; a witness's newer cosignature replaces its older one.
    const kept = parseNote(latest.note).signatures.filter((sig) => isWitness(sig) && !fromWitnesses.some((n) => n.name === sig.name && n.keyId === sig.keyId));
    await this.deps.store.updateCheckpointNote(served.size, signCheckpoint(served, this.deps.signer, [...kept, ...fromWitnesses]));
    return fromWitnesses.length;
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

  /**
   * A C2SP tlog-tiles hash tile: the stored hashes at Merkle level 8 x tile level, read as one
   * range. Only tiles within the current tree exist; full tiles are cached, they never change.
   */
  async hashTile(tile: Tile): Promise<Uint8Array> {
    return this.cachedTile(`h/${tile.level}/${tile.index}/${tile.width}`, tile.width === 256, async () => {
      const size = await this.deps.store.logSize();
      const span = 2 ** (8 * tile.level);
      if ((tile.index * 256 + tile.width) * span > size) throw new RegistryError('E_NOT_FOUND', 'That tile is beyond the current tree.');
      const hashes = await this.deps.store.listLogHashes(8 * tile.level, tile.index * 256, tile.width);
      if (hashes.length !== tile.width) throw new Error(`tile ${tile.level}/${tile.index}: ${hashes.length} of ${tile.width} hashes stored`);
      return encodeHashTile(hashes);
    });
  }

  /** A C2SP entry bundle: the leaf bytes of up to 256 consecutive entries. */
  async entryBundle(index: number, width: number): Promise<Uint8Array> {
    return this.cachedTile(`e/${index}/${width}`, width === 256, async () => {
      const entries = await this.deps.store.listLogEntries(index * 256, width);
      if (entries.length !== width) throw new RegistryError('E_NOT_FOUND', 'That entry bundle is beyond the current tree.');
      return encodeEntryBundle(entries.map(entryBytes));
    });
  }

  private async cachedTile(key: string, full: boolean, build: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.tileCache.get(key);
    if (hit) return hit;
    const bytes = await build();
    if (full) {
      if (this.tileCache.size >= TILE_CACHE_MAX) this.tileCache.delete(this.tileCache.keys().next().value as string);
      this.tileCache.set(key, bytes);
    }
    return bytes;
  }

  private async checkSize(size: number): Promise<void> {
    const current = await this.deps.store.logSize();
    if (size > current) throw outOfRange(`the log has ${current} entries, not ${size}`);
  }
}

/** Records a log key rotation, authorised by the old key's signature over both keys. */
export async function recordKeyRotation(
  store: Pick<MetadataStore, 'transaction'>,
  oldKey: { signer: NoteSigner; verifierKey: string },
  newVerifierKey: string,
  actor: string,
  now: Date,
): Promise<LogEntry> {
  const statement = signKeyRotation(oldKey.signer, oldKey.verifierKey, newVerifierKey);
  return store.transaction((tx) => recordEvent(tx, { type: 'signing-key-rotated', oldKey: oldKey.verifierKey, newKey: newVerifierKey, statement, actor }, now));
}
