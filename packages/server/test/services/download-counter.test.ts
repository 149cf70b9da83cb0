import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DownloadCount } from '../../src/domain/namespace-store.js';
import { DownloadCounter } from '../../src/services/download-counter.js';

describe('download counting', () => {
  test('counts per package per UTC day in memory and writes one batch per flush', async () => {
    let now = new Date('2026-11-26T23:59:59Z');
    const batches: DownloadCount[][] = [];
    const counter = new DownloadCounter({ store: { addDownloads: async (rows) => void batches.push([...rows]) }, clock: { now: () => now }, flushMs: 60_000 });
    counter.record('a');
    counter.record('a');
    counter.record('b');
    now = new Date('2026-11-27T00:00:01Z');
    counter.record('a');
    assert.equal(batches.length, 0, 'nothing is written on the request path');
    await counter.flush();
    assert.deepEqual(batches, [[
      { day: '2026-11-26', name: 'a', count: 2 }, { day: '2026-11-26', name: 'b', count: 1 }, { day: '2026-11-27', name: 'a', count: 1 },
    ]]);
    await counter.close();
    assert.equal(batches.length, 1, 'an empty flush writes nothing');
  });

  test('a failed write keeps the counts for the next flush', async () => {
    let fail = true;
    const written: DownloadCount[] = [];
    const counter = new DownloadCounter({
      store: { addDownloads: async (rows) => { if (fail) throw new Error('disk full'); written.push(...rows); } },
      clock: { now: () => new Date('2026-11-26T10:00:00Z') }, flushMs: 60_000, onError: () => {},
    });
    counter.record('a');
    await counter.flush();
    counter.record('a');
    fail = false;
    await counter.close();
    assert.deepEqual(written, [{ day: '2026-11-26', name: 'a', count: 2 }]);
  });
});
