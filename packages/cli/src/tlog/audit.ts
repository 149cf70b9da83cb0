import {
  TILE_WIDTH, bytesEqual, decodeEntryBundle, decodeHashTile, encodeBase64, formatEntriesPath, formatTilePath, hashLeaf,
  rootFromLeafHashes, tilesForSize, type Checkpoint,
} from '@bulwark/server/domain/tlog/index';
import { feedEntryBytes } from './entry-bytes.js';
import type { RegistryClient } from './registry-client.js';
import type { Report } from './report.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Leaf bytes of every entry in a tree of `size`, from the C2SP entry bundles. */
async function fetchBundles(client: RegistryClient, size: number, report: Report): Promise<Uint8Array[] | undefined> {
  const all: Uint8Array[] = [];
  for (let index = 0; index * TILE_WIDTH < size; index++) {
    const width = Math.min(TILE_WIDTH, size - index * TILE_WIDTH);
    const path = formatEntriesPath(index, width);
    try {
      all.push(...decodeEntryBundle(await client.tile(path), width));
    } catch (err) {
      report.fail('audit', `entry bundle ${path}: ${(err as Error).message}`);
      return undefined;
    }
  }
  return all;
}

/**
 * Hashes at each tile level (level L holds the roots of complete subtrees of 256^L leaves),
 * computed from the leaves alone.
 */
function levelHashes(leaves: Uint8Array[]): Uint8Array[][] {
  const levels = [leaves];
  for (let below = leaves; below.length >= TILE_WIDTH;) {
    const above: Uint8Array[] = [];
    for (let i = 0; i + TILE_WIDTH <= below.length; i += TILE_WIDTH) above.push(rootFromLeafHashes(below.slice(i, i + TILE_WIDTH)));
    levels.push(above);
    below = above;
  }
  return levels;
}

/**
 * `--audit`: rebuild the tree from the entry bundles and check it against the verified
 * checkpoint, every served hash tile, and the changes feed, naming the first entry that differs.
 */
export async function auditLog(client: RegistryClient, checkpoint: Checkpoint, report: Report): Promise<void> {
  const { size } = checkpoint;
  const bundled = await fetchBundles(client, size, report);
  if (!bundled) return;
  const leaves = bundled.map(hashLeaf);
  const levels = levelHashes(leaves);
  const before = report.failures.length;

  for (const tile of tilesForSize(size)) {
    const path = formatTilePath(tile);
    let served: Uint8Array[];
    try {
      served = decodeHashTile(await client.tile(path), tile.width);
    } catch (err) {
      report.fail('audit', `hash tile ${path}: ${(err as Error).message}`);
      continue;
    }
    const expected = levels[tile.level] ?? [];
    served.forEach((hash, i) => {
      const at = tile.index * TILE_WIDTH + i;
      const mine = expected[at];
      if (mine === undefined || !bytesEqual(mine, hash)) {
        const where = tile.level === 0 ? `entry ${at}` : `subtree ${at} of level ${tile.level * 8}`;
        report.fail('audit', `${where}: tile ${path} holds ${hex(hash)} but the entry bundles hash to ${mine ? hex(mine) : 'nothing'}`);
      }
    });
  }

  const root = rootFromLeafHashes(leaves);
  if (bytesEqual(root, checkpoint.rootHash)) {
    report.pass('audit', `root recomputed from ${size} entries equals the checkpoint root`);
  } else {
    report.fail('audit', `root recomputed from the ${size} entries is ${encodeBase64(root)}, the checkpoint says ${encodeBase64(checkpoint.rootHash)}`);
  }

  for (let since = 0; since < size;) {
    const page = await client.entries(since, 1000);
    if (page.entries.length === 0) {
      report.fail('audit', `the changes feed ends at ${since}, the checkpoint has ${size} entries`);
      break;
    }
    for (const entry of page.entries) {
      if (entry.index >= size) break;
      if (entry.index !== since) {
        report.fail('audit', `the changes feed skips from entry ${since} to ${entry.index}`);
        return;
      }
      if (!bytesEqual(feedEntryBytes(entry), bundled[entry.index]!)) {
        report.fail('audit', `entry ${entry.index}: the changes feed and the entry bundle differ`);
      }
      since++;
    }
  }
  if (report.failures.length === before) report.pass('audit', `${tilesForSize(size).length} tiles and ${size} feed entries match the entry bundles`);
}
