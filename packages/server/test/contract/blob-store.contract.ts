/**
 * The BlobStore contract: every adapter (files now, S3 later) runs this suite unchanged.
 * `open` must return a store over empty storage. Keys are hex SHA-512 digests of the data.
 */
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { BlobStore } from '../../src/domain/ports.js';

export function blobKeyOf(data: Uint8Array): string {
  return createHash('sha512').update(data).digest('hex');
}

export function runBlobStoreContract(name: string, open: () => Promise<BlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;

    beforeEach(async () => {
      store = await open();
    });

    test('put then get returns the same bytes and head the size', async () => {
      const data = randomBytes(70_001);
      const key = blobKeyOf(data);
      await store.put(key, data);
      const back = await store.get(key);
      assert.ok(back, 'get returned null after put');
      assert.ok(Buffer.from(back).equals(data), 'bytes differ');
      assert.deepEqual(await store.head(key), { size: data.length });
    });

    test('a blob of several megabytes round-trips intact', async () => {
      const data = randomBytes(5 * 1024 * 1024 + 3);
      const key = blobKeyOf(data);
      await store.put(key, data);
      const back = await store.get(key);
      assert.ok(back);
      assert.equal(blobKeyOf(back), key);
    });

    test('put is idempotent: the same key and bytes twice, or concurrently, keep one whole blob', async () => {
      const data = randomBytes(4096);
      const key = blobKeyOf(data);
      await store.put(key, data);
      await store.put(key, data);
      await Promise.all([store.put(key, data), store.put(key, data), store.put(key, data)]);
      const back = await store.get(key);
      assert.ok(back && Buffer.from(back).equals(data));
      assert.equal((await store.head(key))?.size, 4096);
    });

    test('a missing key: get and head give null, delete does not fail', async () => {
      const key = blobKeyOf(Buffer.from('never stored'));
      assert.equal(await store.get(key), null);
      assert.equal(await store.head(key), null);
      await store.delete(key);
    });

    test('delete removes that blob only, and deleting twice is harmless', async () => {
      const a = Buffer.from('blob a');
      const b = Buffer.from('blob b');
      await store.put(blobKeyOf(a), a);
      await store.put(blobKeyOf(b), b);
      await store.delete(blobKeyOf(a));
      await store.delete(blobKeyOf(a));
      assert.equal(await store.get(blobKeyOf(a)), null);
      assert.equal(await store.head(blobKeyOf(a)), null);
      const stillThere = await store.get(blobKeyOf(b));
      assert.ok(stillThere && Buffer.from(stillThere).equals(b));
    });

    test('a deleted blob can be stored again', async () => {
      const data = Buffer.from('comes back');
      const key = blobKeyOf(data);
      await store.put(key, data);
      await store.delete(key);
      await store.put(key, data);
      assert.equal((await store.head(key))?.size, data.length);
    });

    describe('invalid keys are rejected by every operation', () => {
      const valid = blobKeyOf(Buffer.from('x'));
      const invalidKeys: Record<string, string> = {
        empty: '',
        'path traversal': '../../../../etc/passwd',
        'traversal padded to 128 chars': `../${'a'.repeat(125)}`,
        'upper-case hex': valid.toUpperCase(),
        'one character short': valid.slice(1),
        'one character long': `${valid}0`,
        'non-hex character': `${valid.slice(0, 127)}g`,
        'slash inside': `${valid.slice(0, 64)}/${valid.slice(65)}`,
        'sha256 length': valid.slice(0, 64),
      };
      for (const [label, key] of Object.entries(invalidKeys)) {
        test(label, async () => {
          await assert.rejects(store.put(key, Buffer.from('data')));
          await assert.rejects(store.get(key));
          await assert.rejects(store.head(key));
          await assert.rejects(store.delete(key));
        });
      }
    });

    test('a put whose write is aborted fails and leaves nothing visible', async () => {
      const data = randomBytes(256 * 1024);
      const key = blobKeyOf(data);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(store.put(key, data, controller.signal));
      assert.equal(await store.head(key), null);
      assert.equal(await store.get(key), null);
      // The failed attempt does not block a later, whole put of the same key.
      await store.put(key, data);
      assert.equal((await store.head(key))?.size, data.length);
    });

    test('get with an aborted signal rejects', async () => {
      const data = Buffer.from('abortable read');
      const key = blobKeyOf(data);
      await store.put(key, data);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(store.get(key, controller.signal));
    });
  });
}
