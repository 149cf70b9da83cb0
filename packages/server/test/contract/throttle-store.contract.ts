import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ThrottleBucket, ThrottleStore } from '../../src/domain/throttle-store.js';

const bucket = (failures: number): ThrottleBucket => ({ failures, windowStart: 1000, lockedUntil: 0, lockouts: 0 });

/** What every ThrottleStore (memory now, Redis later) must do. */
export function runThrottleStoreContract(name: string, open: () => Promise<ThrottleStore>): void {
  describe(`ThrottleStore contract: ${name}`, () => {
    test('an unknown key has no bucket; update sees the current bucket and stores the result', async () => {
      const store = await open();
      assert.equal(await store.get('k1'), null);
      assert.deepEqual(await store.update('k1', (current) => { assert.equal(current, null); return bucket(1); }, 60_000), bucket(1));
      await store.update('k1', (current) => bucket((current?.failures ?? 0) + 1), 60_000);
      assert.deepEqual(await store.get('k1'), bucket(2));
      assert.equal(await store.get('k2'), null, 'keys are independent');
    });

    test('returning null from update removes the bucket', async () => {
      const store = await open();
      await store.update('gone', () => bucket(3), 60_000);
      assert.equal(await store.update('gone', () => null, 60_000), null);
      assert.equal(await store.get('gone'), null);
    });

    test('concurrent updates of one key are all applied (atomic per key)', async () => {
      const store = await open();
      await Promise.all(Array.from({ length: 50 }, () => store.update('busy', (current) => bucket((current?.failures ?? 0) + 1), 60_000)));
      assert.equal((await store.get('busy'))?.failures, 50);
    });
  });
}
