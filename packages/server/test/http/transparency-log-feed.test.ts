import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry } from './harness.js';

test('GEN-3b: every change is appended to the log in the same transaction, and the feed serves it in order', async () => {
  const reg = await inProcessRegistry();
  try {
    const alice = await reg.user('alice');
    await reg.user('bob');
    const json = { 'content-type': 'application/json', ...bearer(alice) };
    const put = (url: string, payload: unknown) => reg.app.inject({ method: 'PUT', url, headers: json, payload: JSON.stringify(payload) });

    assert.equal((await put('/feed-pkg', publishBody({ name: 'feed-pkg', version: '1.0.0' }).body)).statusCode, 201);
    assert.equal((await put('/feed-pkg', publishBody({ name: 'feed-pkg', version: '1.1.0' }).body)).statusCode, 201);
    // A refused publish (the version exists) leaves no entry behind.
    assert.equal((await put('/feed-pkg', publishBody({ name: 'feed-pkg', version: '1.1.0', description: 'other' }).body)).statusCode, 409);
    assert.equal((await reg.app.inject({ method: 'PUT', url: '/-/package/feed-pkg/dist-tags/stable', headers: json, payload: '"1.0.0"' })).statusCode, 201);
    const doc = (await reg.app.inject({ url: '/feed-pkg?write=true' })).json();
    doc.versions['1.0.0'].deprecated = 'use 1.1.0';
    assert.equal((await put('/feed-pkg', doc)).statusCode, 201);
    const rev = (await reg.app.inject({ url: '/feed-pkg' })).json()._rev;
    assert.equal((await put(`/feed-pkg/-rev/${rev}`, { _id: 'feed-pkg', _rev: rev, maintainers: [{ name: 'alice' }, { name: 'bob' }] })).statusCode, 201);

    const feed = (await reg.app.inject({ url: '/-/tlog/entries?since=0' })).json();
    assert.equal(feed.size, 7);
    assert.deepEqual(feed.entries.map((e: { index: number }) => e.index), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(feed.entries.map((e: { type: string }) => e.type), [
      'version-published', 'dist-tag-set', 'version-published', 'dist-tag-set', 'dist-tag-set', 'version-deprecated', 'maintainers-changed',
    ]);
    assert.deepEqual(feed.entries[2], { index: 2, time: feed.entries[2].time, type: 'version-published', name: 'feed-pkg', version: '1.1.0', integrity: feed.entries[2].integrity, actor: 'alice', actorKind: 'user', provenance: null });
    assert.deepEqual(feed.entries[6].added, ['bob']);
    assert.equal(JSON.stringify(feed).includes('@example.com'), false, 'no email addresses in the public log');

    const versions = (await reg.app.inject({ url: '/feed-pkg' })).json().versions;
    assert.equal(versions['1.0.0'].dist.tlogIndex, 0);
    assert.equal(versions['1.1.0'].dist.tlogIndex, 2);
    assert.equal(feed.entries[2].integrity, versions['1.1.0'].dist.integrity);

    const page = (await reg.app.inject({ url: '/-/tlog/entries?since=5&limit=1' })).json();
    assert.deepEqual(page.entries.map((e: { index: number }) => e.index), [5]);
    assert.equal(page.next, 6);
    const end = (await reg.app.inject({ url: '/-/tlog/entries?since=7' })).json();
    assert.deepEqual(end.entries, []);
    assert.equal(end.next, 7);
    assert.equal((await reg.app.inject({ url: '/-/tlog/entries?since=-1' })).statusCode, 400);
  } finally {
    await reg.close();
  }
});

test('GEN-3b: a long-polling reader of the feed is answered with the entry appended while it waited', async () => {
  const reg = await inProcessRegistry();
  try {
    const alice = await reg.user('alice');
    const size = (await reg.app.inject({ url: '/-/tlog/entries' })).json().size;
    assert.equal(size, 0);
    const poll = reg.app.inject({ url: `/-/tlog/entries?since=${size}&wait=30` });
    // Let the poll reach its wait before the entry exists (ordering, not a timing assertion).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const published = await reg.app.inject({
      method: 'PUT', url: '/polled', headers: { 'content-type': 'application/json', ...bearer(alice) },
      payload: JSON.stringify(publishBody({ name: 'polled', version: '1.0.0' }).body),
    });
    assert.equal(published.statusCode, 201);
    const answer = (await poll).json();
    assert.equal(answer.entries[0].type, 'version-published');
    assert.equal(answer.entries[0].name, 'polled');
    assert.equal((await reg.app.inject({ url: '/-/tlog/entries?wait=61x' })).statusCode, 400);
  } finally {
    await reg.close();
  }
});
