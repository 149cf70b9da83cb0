import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecurityEvents } from '../../src/services/security-events.js';
import { authFixture, ManualClock } from './auth-fixture.js';

test('security event log: recorded per user with address, client and detail, listed newest first with paging', async () => {
  const fixture = await authFixture();
  try {
    const clock = new ManualClock();
    const events = new SecurityEvents({ store: fixture.stores.auth.securityEvents, clock });
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await events.recordSecurityEvent(alice.id, 'sign-in', { ip: '192.0.2.1', userAgent: 'Mozilla/5.0' });
    clock.advance(1000);
    await events.recordSecurityEvent(alice.id, 'totp-added', { detail: { factor: 'authenticator app' } });
    clock.advance(1000);
    await events.recordSecurityEvent(bob.id, 'password-changed');
    await events.recordSecurityEvent(null, 'password-failed', { detail: { account: 'nobody' } });
    const log = await events.listSecurityEvents(alice.id);
    assert.deepEqual(log.map((e) => e.kind), ['totp-added', 'sign-in']);
    assert.deepEqual(log[0]!.detail, { factor: 'authenticator app' });
    assert.equal(log[1]!.ip, '192.0.2.1');
    assert.equal(log[1]!.userAgent, 'Mozilla/5.0');
    assert.equal(log[1]!.createdAt.getTime(), log[0]!.createdAt.getTime() - 1000);
    const page = await events.listSecurityEvents(alice.id, { limit: 1, before: log[0]!.id });
    assert.deepEqual(page.map((e) => e.kind), ['sign-in']);
  } finally {
    await fixture.close();
  }
});
