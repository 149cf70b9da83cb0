import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobInfo, BlobStore } from '../../domain/ports.js';

const KEY_PATTERN = /^[0-9a-f]{128}$/;

/**
 * Blobs as files under `<root>/sha512/ab/cd/<key>`. A put writes a temp file, fsyncs it, renames
 * it into place and fsyncs the directory: after a crash a blob is whole or absent, never partial.
 */
export class FsBlobStore implements BlobStore {
  /** Fan-out folders known to exist, so a put does not ask the file system again. */
  private readonly knownDirs = new Set<string>();

  constructor(private readonly root: string) {}

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    this.knownDirs.add(dir);
  }

  private pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`invalid blob key ${key.slice(0, 16)}…`);
    return join(this.root, 'sha512', key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, data: Uint8Array, signal?: AbortSignal): Promise<void> {
    const path = this.pathOf(key);
    if (await this.head(key)) return; // content-addressed: same key, same bytes
    const dir = join(path, '..');
    const temp = join(this.root, 'tmp');
    await Promise.all([this.ensureDir(dir), this.ensureDir(temp)]);
    const tempPath = join(temp, `${key.slice(0, 16)}.${randomBytes(8).toString('hex')}`);
    const handle = await open(tempPath, 'wx', 0o644);
    try {
      await handle.writeFile(data, signal ? { signal } : {});
      await handle.sync();
    } catch (err) {
      await handle.close();
      await unlink(tempPath).catch(() => {});
      throw err;
    }
    await handle.close();
    await rename(tempPath, path);
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  async get(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    try {
      return await readFile(this.pathOf(key), signal ? { signal } : {});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async head(key: string): Promise<BlobInfo | null> {
    try {
      const info = await stat(this.pathOf(key));
      return { size: info.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}
