import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { FsBlobStore } from '../../src/adapters/blob/fs-blob-store.js';
import { blobKeyOf, runBlobStoreContract } from './blob-store.contract.js';

let parent: string;
let counter = 0;

before(async () => {
  parent = await mkdtemp(join(tmpdir(), 'bulwark-fs-blobs-'));
});

after(async () => {
  await rm(parent, { recursive: true, force: true });
});

function newRoot(): string {
  return join(parent, `root-${++counter}`);
}

/** Every regular file under root, as paths relative to it with '/' separators. */
async function filesUnder(root: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)).split(sep).join('/'))
    .sort();
}

function layoutOf(key: string): string {
  return `sha512/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
}

runBlobStoreContract('fs', async () => new FsBlobStore(newRoot()));

describe('FsBlobStore', () => {
  test('stores a blob at sha512/<2>/<2>/<key> under its root', async () => {
    const root = newRoot();
    const store = new FsBlobStore(root);
    const data = Buffer.from('layout check');
    const key = blobKeyOf(data);
    await store.put(key, data);
    assert.deepEqual(await filesUnder(root), [layoutOf(key)]);
    assert.ok((await readFile(join(root, layoutOf(key)))).equals(data));
  });

  test('no temp files are left behind after puts, repeated puts and an aborted put', async () => {
    const root = newRoot();
    const store = new FsBlobStore(root);
    const blobs = [randomBytes(1000), randomBytes(200_000), Buffer.from('small')];
    for (const data of blobs) await store.put(blobKeyOf(data), data);
    await store.put(blobKeyOf(blobs[0]!), blobs[0]!);
    const aborted = randomBytes(100_000);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(store.put(blobKeyOf(aborted), aborted, controller.signal));

    assert.deepEqual(await filesUnder(root), blobs.map((b) => layoutOf(blobKeyOf(b))).sort());
  });

  test('rejected keys write nothing anywhere, inside or outside the root', async () => {
    const root = newRoot();
    const store = new FsBlobStore(root);
    await assert.rejects(store.put('../escape', Buffer.from('x')));
    await assert.rejects(store.put(`../${'a'.repeat(125)}`, Buffer.from('x')));
    assert.deepEqual(await filesUnder(root), []);
    const siblings = (await readdir(parent)).filter((n) => !n.startsWith('root-'));
    assert.deepEqual(siblings, []);
  });

  test('a blob written by one instance is read by a new instance on the same root', async () => {
    const root = newRoot();
    const data = randomBytes(3333);
    const key = blobKeyOf(data);
    await new FsBlobStore(root).put(key, data);
    const reopened = new FsBlobStore(root);
    const back = await reopened.get(key);
    assert.ok(back && Buffer.from(back).equals(data));
    assert.equal((await reopened.head(key))?.size, 3333);
  });
});
