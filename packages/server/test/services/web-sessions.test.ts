import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openSqliteMetadataStore } from '../../src/adapters/metadata/sqlite-metadata-store.js';
import type { MetadataStore } from '../../src/domain/ports.js';
import { WebSessions } from '../../src/services/web-sessions.js';

let dir: string;
let store: MetadataStore;
let now = new Date('2026-01-01T00:00:00Z');
const clock = { now: () => now };
let sessions: WebSessions;
let userId: number;
const client = { ip: '127.0.0.1', userAgent: 'test' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-sessions-'));
  store = await openSqliteMetadataStore(join(dir, 'db.sqlite'));
  userId = (await store.insertUser({ name: 'ann', email: 'ann@example.com', passwordHash: null, isAdmin: false })).id;
  sessions = new WebSessions({ store, clock, options: { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 } });
});

after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('a session resumes from its cookie; the database holds only a hash of it', async () => {
  const cookie = await sessions.start(userId, 1, client);
  const active = await sessions.resume(cookie);
  assert.equal(active?.user.name, 'ann');
  assert.notEqual(active?.session.secretHash, cookie);
  assert.equal(await store.findWebSessionBySecretHash(cookie), null);
  assert.equal(await sessions.resume(`${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}`), null, 'a changed cookie is no session');
  assert.equal(await sessions.resume('not a cookie'), null);
});

test('a session ends after the idle limit, and activity keeps it alive until the absolute limit', async () => {
  const cookie = await sessions.start(userId, 1, client);
  for (let i = 0; i < 23; i++) {
    now = new Date(now.getTime() + 29 * 60_000);
    assert.ok(await sessions.resume(cookie), `alive after ${(i + 1) * 29} active minutes`);
  }
  now = new Date(now.getTime() + 29 * 60_000); // 11 h 36 min: still active, still under 12 h
  assert.ok(await sessions.resume(cookie));
  now = new Date(now.getTime() + 25 * 60_000); // past 12 h since sign-in
  assert.equal(await sessions.resume(cookie), null, 'the absolute limit ends it');
  const idle = await sessions.start(userId, 1, client);
  now = new Date(now.getTime() + 31 * 60_000);
  assert.equal(await sessions.resume(idle), null, '31 idle minutes end it');
});

test('rotation replaces the session: the old cookie stops working', async () => {
  const cookie = await sessions.start(userId, 1, client);
  const active = await sessions.resume(cookie);
  const rotated = await sessions.rotate(active!.session, 2, client);
  assert.equal(await sessions.resume(cookie), null);
  assert.equal((await sessions.resume(rotated))?.session.aal, 2);
});

test('ending other sessions keeps only the current one', async () => {
  const keep = await sessions.start(userId, 1, client);
  await sessions.start(userId, 1, client);
  const kept = await sessions.resume(keep);
  await sessions.endOthers(userId, kept!.session.id);
  assert.deepEqual((await sessions.list(userId)).map((s) => s.id), [kept!.session.id]);
});
