import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryThrottleStore } from '../../src/adapters/throttle/memory-throttle-store.js';
import { runThrottleStoreContract } from './throttle-store.contract.js';

runThrottleStoreContract('memory', async () => new MemoryThrottleStore());

test('MemoryThrottleStore: buckets expire after their TTL and the number of keys is bounded', async () => {
  let now = 0;
  const store = new MemoryThrottleStore({ now: () => now, maxKeys: 3 });
  await store.update('a', () => ({ failures: 1, windowStart: 0, lockedUntil: 0, lockouts: 0 }), 1000);
  now = 999;
  assert.ok(await store.get('a'));
  now = 1000;
  assert.equal(await store.get('a'), null);
  for (const key of ['b', 'c', 'd', 'e']) await store.update(key, () => ({ failures: 1, windowStart: now, lockedUntil: 0, lockouts: 0 }), 1000);
  assert.equal(await store.get('b'), null, 'the oldest key went first');
  assert.ok(await store.get('e'));
});
