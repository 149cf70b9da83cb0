import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consistencyProof, hashLeaf, inclusionProof, rootFromLeafHashes, treeHash } from '../../../src/domain/tlog/merkle.js';
import {
  decodeEntryBundle, decodeHashTile, encodeEntryBundle, encodeHashTile, formatEntriesPath, formatTilePath, locateHash,
  parseTilePath, readTileHashes, tileHashReader, tilesAddedBetween, tilesForSize, tilesNeeded, type Tile,
} from '../../../src/domain/tlog/tiles.js';
import { TlogError, type TlogErrorCode } from '../../../src/domain/tlog/tlog-error.js';
import { MemoryHashStore } from './memory-hash-store.js';
import { seededRandom, toHex } from './seeded-random.js';

const fails = (code: TlogErrorCode) => (err: unknown) => err instanceof TlogError && err.code === code;
const key = (tile: Tile) => formatTilePath(tile);

function summarize(tiles: readonly Tile[]): string[] {
  const counts = new Map<string, number>();
  for (const t of tiles) {
    const label = `L${t.level} ${t.width === 256 ? 'full' : `partial ${t.width}`}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${n} x ${label}`);
}

describe('tiles (C2SP tlog-tiles)', () => {
  test('GEN-3b: tile paths match the C2SP examples', () => {
    assert.equal(formatTilePath({ level: 0, index: 1234067, width: 256 }), 'tile/0/x001/x234/067');
    assert.equal(formatTilePath({ level: 1, index: 0, width: 256 }), 'tile/1/000');
    assert.equal(formatTilePath({ level: 2, index: 5, width: 17 }), 'tile/2/005.p/17');
    assert.equal(formatTilePath({ level: 0, index: 1000, width: 1 }), 'tile/0/x001/000.p/1');
    assert.equal(formatEntriesPath(1234067), 'tile/entries/x001/x234/067');
    assert.equal(formatEntriesPath(273, 112), 'tile/entries/273.p/112');
    assert.deepEqual(parseTilePath('tile/0/x001/x234/067'), { kind: 'hashes', tile: { level: 0, index: 1234067, width: 256 } });
    assert.deepEqual(parseTilePath('tile/63/000.p/255'), { kind: 'hashes', tile: { level: 63, index: 0, width: 255 } });
    assert.deepEqual(parseTilePath('tile/entries/x001/000.p/9'), { kind: 'entries', index: 1000, width: 9 });
  });

  test('GEN-3b: a tree of 70,000 needs the tiles the C2SP example lists; 256 a full and a partial', () => {
    assert.deepEqual(summarize(tilesForSize(70000)), ['273 x L0 full', '1 x L0 partial 112', '1 x L1 full', '1 x L1 partial 17', '1 x L2 partial 1']);
    assert.deepEqual(tilesForSize(256), [{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }]);
    assert.deepEqual(tilesForSize(0), []);
    assert.deepEqual(tilesForSize(1), [{ level: 0, index: 0, width: 1 }]);
  });

  test('GEN-3b: non-canonical and out-of-range tile paths are refused', () => {
    const bad = [
      'tile/0/1234067', 'tile/0/x001/x234/67', 'tile/0/x000/005', 'tile/0/x001/x234/067/', 'tile/0/X001/000',
      'tile/00/000', 'tile/64/000', 'tile/-1/000', 'tile/0/000.p/256', 'tile/0/000.p/0', 'tile/0/000.p/010',
      'tile/0/000.p/', 'tile/entries/000.p/256', 'tile/0/x001', '/tile/0/000', 'tile/0/000?x', 'tile/data/000',
      `tile/0/${'x999/'.repeat(6)}999`,
    ];
    for (const path of bad) assert.throws(() => parseTilePath(path), fails('E_TLOG_MALFORMED'), path);
    assert.throws(() => formatTilePath({ level: 0, index: 0, width: 0 }), fails('E_TLOG_RANGE'));
    assert.throws(() => formatTilePath({ level: 64, index: 0, width: 256 }), fails('E_TLOG_RANGE'));
    assert.throws(() => formatTilePath({ level: 0, index: -1, width: 256 }), fails('E_TLOG_RANGE'));
  });

  test('paths round-trip for random tiles', () => {
    const random = seededRandom(0x711e);
    for (let i = 0; i < 300; i++) {
      const tile = { level: random.int(64), index: random.int(2) ? random.int(1000) : random.int(2 ** 40), width: 1 + random.int(256) };
      assert.deepEqual(parseTilePath(formatTilePath(tile)), { kind: 'hashes', tile });
      assert.deepEqual(parseTilePath(formatEntriesPath(tile.index, tile.width)), { kind: 'entries', index: tile.index, width: tile.width });
    }
  });

  test('GEN-3b: tilesAddedBetween is exactly what a bigger tree adds', () => {
    const random = seededRandom(0xadd);
    for (let i = 0; i < 200; i++) {
      const newSize = random.int(3) === 0 ? random.int(600) : random.int(200000);
      const oldSize = random.int(newSize + 1);
      const before = new Set(tilesForSize(oldSize).map(key));
      const expected = tilesForSize(newSize).filter((t) => !before.has(key(t)));
      assert.deepEqual(tilesAddedBetween(oldSize, newSize), expected, `${oldSize} -> ${newSize}`);
    }
    assert.deepEqual(tilesAddedBetween(300, 300), []);
    assert.throws(() => tilesAddedBetween(2, 1), fails('E_TLOG_RANGE'));
  });

  test('hash tiles and entry bundles encode and decode strictly', () => {
    const random = seededRandom(0xb17e);
    const hashes = Array.from({ length: 17 }, () => random.bytes(32));
    const bytes = encodeHashTile(hashes);
    assert.equal(bytes.length, 17 * 32);
    assert.deepEqual(decodeHashTile(bytes, 17), hashes);
    assert.throws(() => decodeHashTile(bytes, 16), fails('E_TLOG_MALFORMED'));
    assert.throws(() => decodeHashTile(bytes.subarray(1)), fails('E_TLOG_MALFORMED'));
    assert.throws(() => decodeHashTile(new Uint8Array(0)), fails('E_TLOG_MALFORMED'));
    assert.throws(() => decodeHashTile(new Uint8Array(257 * 32)), fails('E_TLOG_MALFORMED'));
    assert.throws(() => encodeHashTile([new Uint8Array(31)]), fails('E_TLOG_MALFORMED'));

    const entries = [new Uint8Array(0), Uint8Array.of(1, 2, 3), random.bytes(300)];
    const bundle = encodeEntryBundle(entries);
    assert.deepEqual([...bundle.subarray(0, 7)], [0, 0, 0, 3, 1, 2, 3], 'big-endian uint16 length prefixes');
    assert.deepEqual(decodeEntryBundle(bundle, 3), entries);
    assert.throws(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1)), fails('E_TLOG_MALFORMED'));
    assert.throws(() => decodeEntryBundle(Uint8Array.of(0)), fails('E_TLOG_MALFORMED'));
    assert.throws(() => decodeEntryBundle(bundle, 4), fails('E_TLOG_MALFORMED'));
    assert.throws(() => encodeEntryBundle([new Uint8Array(65536)]), fails('E_TLOG_MALFORMED'));
  });

  test('GEN-3b: a verifier with only the tiles recomputes the root and every proof the server gives', () => {
    const random = seededRandom(0x71e5);
    const store = new MemoryHashStore();
    store.append(Array.from({ length: 70000 }, (_, i) => hashLeaf(Uint8Array.of(i & 0xff, (i >> 8) & 0xff, i >> 16))));
    const size = 70000;
    // What the server writes: every tile of the checkpoint's size, as bytes.
    const served = new Map(tilesForSize(size).map((tile) => [key(tile), encodeHashTile(readTileHashes(tile, store.read))]));
    // Each level-1 tile hash is the root of the full level-0 tile below it.
    const level0 = decodeHashTile(served.get('tile/0/005')!, 256);
    assert.equal(toHex(decodeHashTile(served.get('tile/1/000')!)[5]!), toHex(rootFromLeafHashes(level0)));

    const fetched = new Map<string, Uint8Array[]>();
    const readTile = (tile: Tile) => {
      const hashes = fetched.get(key(tile));
      if (hashes === undefined) throw new Error(`tile not fetched: ${key(tile)}`);
      return hashes;
    };
    const fetch = (tiles: readonly Tile[]) => {
      for (const tile of tiles) fetched.set(key(tile), decodeHashTile(served.get(key(tile))!, tile.width));
    };
    const fromTiles = tileHashReader(size, readTile);

    const rootTiles = tilesNeeded(size, (read) => treeHash(size, read));
    // 70000 = 65536 + 4096 + 256 + 112: subtrees at levels 16, 12, 8 and the last 112 leaves.
    assert.deepEqual(rootTiles.map(key).sort(), ['tile/0/273.p/112', 'tile/1/001.p/17', 'tile/2/000.p/1']);
    fetch(rootTiles);
    assert.equal(toHex(treeHash(size, fromTiles)), toHex(treeHash(size, store.read)));

    for (let i = 0; i < 20; i++) {
      const index = random.int(size);
      const oldSize = 1 + random.int(size);
      fetch(tilesNeeded(size, (read) => inclusionProof(size, index, read)));
      fetch(tilesNeeded(size, (read) => consistencyProof(oldSize, size, read)));
      assert.deepEqual(inclusionProof(size, index, fromTiles), inclusionProof(size, index, store.read), `inclusion of ${index}`);
      assert.deepEqual(consistencyProof(oldSize, size, fromTiles), consistencyProof(oldSize, size, store.read), `${oldSize} -> ${size}`);
    }
    assert.ok(fetched.size < served.size / 2, `fetched ${fetched.size} of ${served.size} tiles`);
  });

  test('locateHash maps subtree hashes to tiles and refuses incomplete ones', () => {
    assert.deepEqual(locateHash(0, 300, 1000), { tile: { level: 0, index: 1, width: 256 }, offset: 44, count: 1 });
    assert.deepEqual(locateHash(3, 100, 1000), { tile: { level: 0, index: 3, width: 232 }, offset: 32, count: 8 });
    assert.deepEqual(locateHash(8, 2, 1000), { tile: { level: 1, index: 0, width: 3 }, offset: 2, count: 1 });
    assert.throws(() => locateHash(0, 1000, 1000), fails('E_TLOG_RANGE'));
    assert.throws(() => locateHash(3, 125, 1000), fails('E_TLOG_RANGE'), 'leaves 1000..1007 are not all there');
    assert.throws(() => locateHash(64, 0, 1000), fails('E_TLOG_RANGE'));
  });
});
