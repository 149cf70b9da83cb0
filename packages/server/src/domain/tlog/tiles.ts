import { hashesNeeded } from './hash-prefetch.js';
import { HASH_SIZE, rootFromLeafHashes, type HashReader } from './merkle.js';
import { TlogError, malformed } from './tlog-error.js';

/**
 * C2SP tlog-tiles: the tree served as static, immutable files of up to 256 consecutive hashes.
 * Tile (level L, index N) holds the Merkle hashes at tree level 8L with indexes
 * [256N, 256N + 256); a partial tile holds the first W of them (1 <= W <= 255).
 *
 *     tile/<L>/<N>[.p/<W>]        hash tiles, W * 32 bytes
 *     tile/entries/<N>[.p/<W>]    entry bundles: uint16 big-endian length-prefixed entries
 *
 * <N> is written in zero-padded 3-digit groups, all but the last prefixed `x`
 * (1234067 -> x001/x234/067), so a tree of files never has a file and a directory of one name.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;
export const MAX_TILE_LEVEL = 63;
const MAX_ENTRY_SIZE = 0xffff;

export interface Tile {
  readonly level: number;
  readonly index: number;
  /** 1..256; 256 is a full tile, anything less a partial one. */
  readonly width: number;
}

export type TilePath =
  | { readonly kind: 'hashes'; readonly tile: Tile }
  | { readonly kind: 'entries'; readonly index: number; readonly width: number };

const TILE_PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

export function formatTilePath(tile: Tile): string {
  checkTile(tile);
  return `tile/${tile.level}/${formatIndex(tile.index)}${partialSuffix(tile.width)}`;
}

export function formatEntriesPath(index: number, width: number = TILE_WIDTH): string {
  checkTile({ level: 0, index, width });
  return `tile/entries/${formatIndex(index)}${partialSuffix(width)}`;
}

/** Parses the part of a URL after the log prefix. Only the canonical spelling is accepted. */
export function parseTilePath(path: string): TilePath {
  const match = TILE_PATH.exec(path);
  if (match === null) throw malformed(`not a tile path: ${path}`);
  const [, levelText, indexText, widthText] = match as unknown as [string, string, string, string | undefined];
  const index = Number(indexText.replaceAll('x', '').replaceAll('/', ''));
  if (!Number.isSafeInteger(index) || formatIndex(index) !== indexText) throw malformed(`non-canonical tile index: ${path}`);
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH) throw malformed(`a partial tile is 1 to 255 wide: ${path}`);
  if (levelText === 'entries') return { kind: 'entries', index, width };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) throw malformed(`tile level above ${MAX_TILE_LEVEL}: ${path}`);
  return { kind: 'hashes', tile: { level, index, width } };
}

/** Every tile a tree of `size` leaves is served as, full and partial, level by level. */
export function tilesForSize(size: number): Tile[] {
  return tilesAddedBetween(0, size);
}

/**
 * The tiles a tree of `newSize` has that a tree of `oldSize` did not: full tiles completed since,
 * and the new partial tiles. What to write when a checkpoint moves from one size to the next.
 */
export function tilesAddedBetween(oldSize: number, newSize: number): Tile[] {
  checkCount(oldSize, 'old size');
  checkCount(newSize, 'new size');
  if (oldSize > newSize) throw new TlogError('E_TLOG_RANGE', `old size ${oldSize} exceeds new size ${newSize}`);
  const tiles: Tile[] = [];
  for (let level = 0; ; level++) {
    const oldHashes = hashesAtTileLevel(oldSize, level);
    const newHashes = hashesAtTileLevel(newSize, level);
    if (newHashes === 0) break;
    const fullNew = Math.floor(newHashes / TILE_WIDTH);
    for (let index = Math.floor(oldHashes / TILE_WIDTH); index < fullNew; index++) tiles.push({ level, index, width: TILE_WIDTH });
    const partial = newHashes % TILE_WIDTH;
    if (partial > 0 && newHashes !== oldHashes) tiles.push({ level, index: fullNew, width: partial });
  }
  return tiles;
}

/** The hashes of `tile`, read from a store of complete-subtree hashes. */
export function readTileHashes(tile: Tile, read: HashReader): Uint8Array[] {
  checkTile(tile);
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < tile.width; i++) hashes.push(read(tile.level * TILE_HEIGHT, tile.index * TILE_WIDTH + i));
  return hashes;
}

export function encodeHashTile(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length < 1 || hashes.length > TILE_WIDTH) throw malformed('a tile holds 1 to 256 hashes');
  const bytes = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((hash, i) => {
    if (hash.length !== HASH_SIZE) throw malformed('a tile hash is 32 bytes');
    bytes.set(hash, i * HASH_SIZE);
  });
  return bytes;
}

/** Splits tile bytes into hashes; with `width`, the tile must hold exactly that many. */
export function decodeHashTile(bytes: Uint8Array, width?: number): Uint8Array[] {
  const count = bytes.length / HASH_SIZE;
  if (!Number.isInteger(count) || count < 1 || count > TILE_WIDTH) throw malformed('a tile is 1 to 256 hashes of 32 bytes');
  if (width !== undefined && count !== width) throw malformed(`expected a tile of ${width} hashes, got ${count}`);
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) hashes.push(bytes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return hashes;
}

export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) throw malformed('an entry bundle holds 1 to 256 entries');
  const bytes = new Uint8Array(entries.reduce((sum, entry) => sum + 2 + entry.length, 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_SIZE) throw malformed('an entry in a bundle is at most 65535 bytes');
    view.setUint16(offset, entry.length);
    bytes.set(entry, offset + 2);
    offset += 2 + entry.length;
  }
  return bytes;
}

export function decodeEntryBundle(bytes: Uint8Array, width?: number): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length;) {
    if (offset + 2 > bytes.length) throw malformed('entry bundle ends inside a length prefix');
    const length = view.getUint16(offset);
    if (offset + 2 + length > bytes.length) throw malformed('entry bundle ends inside an entry');
    entries.push(bytes.slice(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  if (entries.length < 1 || entries.length > TILE_WIDTH) throw malformed('an entry bundle holds 1 to 256 entries');
  if (width !== undefined && entries.length !== width) throw malformed(`expected ${width} entries, got ${entries.length}`);
  return entries;
}

/**
 * Where the complete-subtree hash (level, index) lives in the tiles of a tree of `size`: hashes
 * on tile levels are read directly, the ones between are rebuilt from 2^(level mod 8) hashes.
 */
export function locateHash(level: number, index: number, size: number): { tile: Tile; offset: number; count: number } {
  checkCount(size, 'size');
  if (!Number.isSafeInteger(level) || level < 0 || level >= 64 || !Number.isSafeInteger(index) || index < 0) {
    throw new TlogError('E_TLOG_RANGE', `no hash at level ${level}, index ${index}`);
  }
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level % TILE_HEIGHT);
  const start = index * count;
  const available = hashesAtTileLevel(size, tileLevel);
  if (start + count > available) throw new TlogError('E_TLOG_RANGE', `hash ${level}/${index} is not complete in a tree of size ${size}`);
  const tileIndex = Math.floor(start / TILE_WIDTH);
  const width = (tileIndex + 1) * TILE_WIDTH <= available ? TILE_WIDTH : available % TILE_WIDTH;
  return { tile: { level: tileLevel, index: tileIndex, width }, offset: start % TILE_WIDTH, count };
}

/**
 * A HashReader over the tiles of a tree of `size`, for verifiers that fetched tiles: with it,
 * `treeHash`, `inclusionProof` and `consistencyProof` work on the client as on the server.
 * `readTile` returns a tile's decoded hashes (a wider tile of the same index also serves).
 */
export function tileHashReader(size: number, readTile: (tile: Tile) => readonly Uint8Array[]): HashReader {
  return (level, index) => {
    const { tile, offset, count } = locateHash(level, index, size);
    const hashes = readTile(tile);
    if (hashes.length < offset + count) throw new TlogError('E_TLOG_RANGE', `tile ${formatTilePath(tile)} is too short`);
    return count === 1 ? hashes[offset]! : rootFromLeafHashes(hashes.slice(offset, offset + count));
  };
}

/**
 * The tiles `compute` reads (see `hashesNeeded`): a client fetches exactly these, in parallel,
 * then runs `compute` again over `tileHashReader`.
 */
export function tilesNeeded(size: number, compute: (read: HashReader) => unknown): Tile[] {
  const tiles = new Map<string, Tile>();
  for (const { level, index } of hashesNeeded(compute)) {
    const { tile } = locateHash(level, index, size);
    tiles.set(formatTilePath(tile), tile);
  }
  return [...tiles.values()];
}

function hashesAtTileLevel(size: number, tileLevel: number): number {
  return Math.floor(size / TILE_WIDTH ** tileLevel);
}

function formatIndex(index: number): string {
  const digits = String(index);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups = padded.match(/.{3}/g)!;
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

function partialSuffix(width: number): string {
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

function checkTile(tile: Tile): void {
  const { level, index, width } = tile;
  if (!Number.isSafeInteger(level) || level < 0 || level > MAX_TILE_LEVEL) throw new TlogError('E_TLOG_RANGE', `bad tile level ${level}`);
  if (!Number.isSafeInteger(index) || index < 0) throw new TlogError('E_TLOG_RANGE', `bad tile index ${index}`);
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new TlogError('E_TLOG_RANGE', `bad tile width ${width}`);
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new TlogError('E_TLOG_RANGE', `${what} must be a non-negative safe integer`);
}
