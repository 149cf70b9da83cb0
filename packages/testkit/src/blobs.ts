// Looks at the content-addressed blob store of a data dir:
// DATA_DIR/blobs/sha512/<first 2 hex>/<next 2 hex>/<full sha512 hex>.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { hexFromIntegrity, sha512Hex } from './util.js';

export function blobsRoot(dataDir: string): string {
  return join(dataDir, 'blobs');
}

/** Where the blob with this sha512 (hex, or an SRI string) is expected to be. */
export function blobPath(dataDir: string, sha512OrIntegrity: string): string {
  const hex = sha512OrIntegrity.startsWith('sha512-') ? hexFromIntegrity(sha512OrIntegrity) : sha512OrIntegrity.toLowerCase();
  return join(blobsRoot(dataDir), 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex);
}

/** Every regular file under DATA_DIR/blobs, as paths relative to it (sorted). Empty if absent. */
export async function listBlobFiles(dataDir: string): Promise<string[]> {
  const root = blobsRoot(dataDir);
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    let names: string[];
    try { names = await readdir(dir); } catch { return; }
    for (const n of names) {
      const p = join(dir, n);
      let s;
      try { s = await stat(p); } catch { continue; }
      if (s.isDirectory()) await walk(p);
      else if (s.isFile()) out.push(relative(root, p));
    }
  }
  await walk(root);
  return out.sort();
}

/** Finds a stored blob whose bytes hash to the given sha512 (hex or SRI): the expected path first, then a full scan. */
export async function findBlobBySha512(dataDir: string, sha512OrIntegrity: string): Promise<string | undefined> {
  const hex = sha512OrIntegrity.startsWith('sha512-') ? hexFromIntegrity(sha512OrIntegrity) : sha512OrIntegrity.toLowerCase();
  const expected = blobPath(dataDir, hex);
  try {
    if (sha512Hex(await readFile(expected)) === hex) return expected;
  } catch { /* not at the documented place; scan */ }
  for (const rel of await listBlobFiles(dataDir)) {
    const p = join(blobsRoot(dataDir), rel);
    try {
      if (sha512Hex(await readFile(p)) === hex) return p;
    } catch { /* vanished */ }
  }
  return undefined;
}
