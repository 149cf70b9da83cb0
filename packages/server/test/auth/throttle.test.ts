import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryThrottleStore } from '../../src/adapters/throttle/memory-throttle-store.js';
import { Throttle, type ThrottleStep, type ThrottleSubject } from '../../src/services/throttle.js';
import { SecurityEvents } from '../../src/services/security-events.js';
import { clientAddressKey } from '../../src/domain/client-address.js';
import { isRegistryError } from '../../src/domain/errors.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';

const MINUTE = 60_000;

function throttleWith(clock: ManualClock, limits = {}, events?: SecurityEvents): Throttle {
  return new Throttle({ store: new MemoryThrottleStore({ now: () => clock.now().getTime() }), clock, limits, ...(events ? { events } : {}) });
}

/** One attempt the way a sign-in step runs it: ask, then (the check being wrong) count the failure. */
async function wrongAttempt(throttle: Throttle, step: ThrottleStep, subject: ThrottleSubject): Promise<string> {
  try {
    await throttle.assertAllowed(step, subject);
  } catch (err) {
    if (isRegistryError(err)) return `${err.code} retry-after=${err.headers['retry-after']}`;
    throw err;
  }
  await throttle.recordFailure(step, subject);
  return 'checked';
}

describe('brute-force limits (AUTHN-1e)', () => {
  let fixture: AuthFixture;
  before(async () => {
    fixture = await authFixture();
  });
  after(() => fixture.close());

  test('AUTHN-1e: the sixth wrong second factor locks the step (default limits)', async () => {
    const clock = new ManualClock();
    const throttle = throttleWith(clock);
    const subject = { account: 'alice', ip: '198.51.100.1' };
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) outcomes.push(await wrongAttempt(throttle, 'second-factor', subject));
    assert.deepEqual(outcomes.slice(0, 5), Array(5).fill('checked'));
    assert.equal(outcomes[5], 'E_RATE_LIMITED retry-after=300');
    // A right code does not get through a locked step either: the check is refused before it runs.
    await assert.rejects(throttle.assertAllowed('second-factor', subject), (err: unknown) => isRegistryError(err) && err.code === 'E_RATE_LIMITED');
    // The password step has its own counter and is still open.
    await throttle.assertAllowed('password', subject);
    clock.advance(5 * MINUTE);
    await throttle.assertAllowed('second-factor', subject);
  });

  test('AUTHN-1e: lockouts in a row back off exponentially, up to the ceiling', async () => {
    const clock = new ManualClock();
    const throttle = throttleWith(clock, { lockoutMaxMs: 30 * MINUTE });
    const subject = { account: 'bob', ip: '198.51.100.2' };
    const waits: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 5; i++) await throttle.recordFailure('second-factor', subject);
      const decision = await throttle.check('second-factor', subject);
      assert.equal(decision.allowed, false);
      if (!decision.allowed) waits.push(decision.retryAfterSeconds);
      clock.advance(decision.allowed ? 0 : decision.retryAfterSeconds * 1000);
    }
    assert.deepEqual(waits, [300, 600, 1200, 1800, 1800]);
  });

  test('AUTHN-1e: the decision is the same whether the account exists or not', async () => {
    const clock = new ManualClock();
    const throttle = throttleWith(clock, {}, new SecurityEvents({ store: fixture.stores.auth.securityEvents, clock }));
    const known = await fixture.user('known-user');
    const run = async (subject: ThrottleSubject) => {
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) outcomes.push(await wrongAttempt(throttle, 'password', subject));
      return outcomes;
    };
    const forKnown = await run({ account: 'known-user', ip: '203.0.113.10', userId: known.id });
    const forUnknown = await run({ account: 'no-such-user', ip: '203.0.113.11' });
    assert.deepEqual(forUnknown, forKnown);
    assert.equal(forKnown.filter((o) => o === 'checked').length, 10);
  });

  test('AUTHN-1e: one address is limited across accounts, IPv6 by its /64, and a success does not reset the address', async () => {
    const clock = new ManualClock();
    const throttle = throttleWith(clock, { passwordPerIp: 5 });
    for (let i = 0; i < 5; i++) await throttle.recordFailure('password', { account: `user${i}`, ip: '2001:db8:1:2::a' });
    // Another address in the same /64, another account: still locked.
    const decision = await throttle.check('password', { account: 'user99', ip: '2001:db8:1:2:ffff:1:2:3' });
    assert.deepEqual(decision.allowed ? null : decision.limitedBy, 'ip');
    await throttle.recordSuccess('password', { account: 'user99', ip: '2001:db8:1:2::a' });
    assert.equal((await throttle.check('password', { account: 'user98', ip: '2001:db8:1:2::b' })).allowed, false);
    // The next /64 is another subscriber.
    assert.equal((await throttle.check('password', { account: 'user99', ip: '2001:db8:1:3::a' })).allowed, true);
  });

  test('AUTHN-1e: a success clears the account counter of that step', async () => {
    const clock = new ManualClock();
    const throttle = throttleWith(clock);
    const subject = { account: 'carol', ip: '198.51.100.3' };
    for (let i = 0; i < 4; i++) await throttle.recordFailure('second-factor', subject);
    await throttle.recordSuccess('second-factor', subject);
    for (let i = 0; i < 4; i++) await throttle.recordFailure('second-factor', subject);
    assert.equal((await throttle.check('second-factor', subject)).allowed, true);
  });

  test('AUTHN-1e: a global ceiling stops a spread-out attack, for the rest of its window only', async () => {
    const clock = new ManualClock();
    const throttle = throttleWith(clock, { globalPerWindow: 50 });
    for (let i = 0; i < 50; i++) await throttle.recordFailure('password', { account: `a${i}`, ip: `192.0.2.${i}` });
    const decision = await throttle.check('password', { account: 'fresh', ip: '198.51.100.200' });
    assert.equal(decision.allowed ? null : decision.limitedBy, 'global');
    assert.ok(!decision.allowed && decision.retryAfterSeconds <= 15 * 60);
    clock.advance(15 * MINUTE);
    assert.equal((await throttle.check('password', { account: 'fresh', ip: '198.51.100.200' })).allowed, true);
  });

  test('AUTHN-1e: every failure the throttle sees lands in the security log', async () => {
    const clock = new ManualClock();
    const events = new SecurityEvents({ store: fixture.stores.auth.securityEvents, clock });
    const throttle = throttleWith(clock, {}, events);
    const user = await fixture.user('logged-user');
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await throttle.recordFailure('second-factor', { account: 'logged-user', ip: '192.0.2.99', userId: user.id, userAgent: 'npm/11.19.1' });
    }
    const log = await events.listSecurityEvents(user.id);
    assert.deepEqual(log.map((e) => e.kind), ['throttled', ...Array(5).fill('second-factor-failed')]);
    assert.equal(log[1]!.ip, '192.0.2.99');
    assert.equal(log[1]!.userAgent, 'npm/11.19.1');
    assert.ok(log[0]!.createdAt >= log[1]!.createdAt, 'newest first');
    assert.equal(log[0]!.detail.step, 'second-factor');
  });
});

test('AUTHN-1e: client addresses are keyed per IPv4 address and per IPv6 /64', () => {
  assert.equal(clientAddressKey('192.0.2.1'), 'v4:192.0.2.1');
  assert.equal(clientAddressKey('::ffff:192.0.2.1'), 'v4:192.0.2.1');
  assert.equal(clientAddressKey('2001:db8::1'), 'v6:2001:db8:0:0::/64');
  assert.equal(clientAddressKey('2001:0db8:0000:0000:ffff::1'), 'v6:2001:db8:0:0::/64');
  assert.equal(clientAddressKey('[2001:db8:a:b:c:d:e:f]'), 'v6:2001:db8:a:b::/64');
  assert.equal(clientAddressKey('fe80::1%eth0'), 'v6:fe80:0:0:0::/64');
  assert.equal(clientAddressKey('::1'), 'v6:0:0:0:0::/64');
});
