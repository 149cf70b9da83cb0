import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { SmtpSink } from '@bulwark/testkit';
import { MemoryThrottleStore } from '../../src/adapters/throttle/memory-throttle-store.js';
import { SmtpTransport } from '../../src/adapters/mail/smtp-transport.js';
import { MailOutbox } from '../../src/services/mail-outbox.js';
import { SecondFactorGate } from '../../src/services/second-factor-gate.js';
import { SecretBox } from '../../src/services/secret-box.js';
import { SecurityEvents } from '../../src/services/security-events.js';
import { SecurityNotices } from '../../src/services/security-notices.js';
import { Throttle } from '../../src/services/throttle.js';
import { TotpService } from '../../src/services/totp.js';
import { isRegistryError } from '../../src/domain/errors.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';

const STEP = 30_000;

function codeAt(secret: string, ms: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: ms });
}

function wrongCode(secret: string, ms: number): string {
  // Any code that is not valid for now-1..now+10 steps.
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    let used = false;
    for (let d = -10; d <= 10; d++) if (codeAt(secret, ms + d * STEP) === candidate) used = true;
    if (!used) return candidate;
  }
}

const errorCode = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    if (isRegistryError(err)) return err.code;
    throw err;
  }
};

describe('second-factor step (AUTHN-1c, AUTHN-1e)', () => {
  let fixture: AuthFixture;
  let sink: SmtpSink;
  const clock = new ManualClock(Date.parse('2026-04-01T08:00:10Z'));
  let gate: SecondFactorGate;
  let totp: TotpService;
  let events: SecurityEvents;
  let outbox: MailOutbox;

  before(async () => {
    fixture = await authFixture();
    sink = await SmtpSink.start();
    events = new SecurityEvents({ store: fixture.stores.auth.securityEvents, clock });
    outbox = new MailOutbox({ store: fixture.stores.auth.outbox, transport: new SmtpTransport(sink.url), clock, from: 'registry@example.org' });
    const notices = new SecurityNotices({ outbox, events, clock, registry: 'registry.example.org', accountUrl: 'https://registry.example.org/-/account/security' });
    totp = new TotpService({ store: fixture.stores.auth.totp, box: new SecretBox(randomBytes(32)), clock, issuer: 'registry.example.org' });
    gate = new SecondFactorGate({ throttle: new Throttle({ store: new MemoryThrottleStore({ now: () => clock.now().getTime() }), clock, events }), totp, events, notices });
  });
  after(async () => {
    await outbox.stop();
    await sink.close();
    await fixture.close();
  });

  test('AUTHN-1e: the sixth wrong TOTP code locks the step: even the right code is then refused', async () => {
    const user = await fixture.user('mallory-target');
    const { secret } = await totp.beginEnrolment(user);
    await totp.confirmEnrolment(user.id, codeAt(secret, clock.now().getTime()));
    clock.advance(2 * STEP);
    const ctx = { ip: '198.51.100.66', userAgent: 'attacker/1' };
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) outcomes.push(await errorCode(gate.checkTotp(user, wrongCode(secret, clock.now().getTime()), ctx)));
    assert.deepEqual(outcomes, ['E_OTP_INVALID', 'E_OTP_INVALID', 'E_OTP_INVALID', 'E_OTP_INVALID', 'E_OTP_INVALID', 'E_RATE_LIMITED']);
    assert.equal(await errorCode(gate.checkTotp(user, codeAt(secret, clock.now().getTime()), ctx)), 'E_RATE_LIMITED');
    const log = await events.listSecurityEvents(user.id);
    assert.equal(log.filter((e) => e.kind === 'second-factor-failed').length, 5);
    assert.equal(log.filter((e) => e.kind === 'throttled').length, 1);
    clock.advance(5 * 60_000);
    assert.equal(await errorCode(gate.checkTotp(user, codeAt(secret, clock.now().getTime()), ctx)), 'accepted');
  });

  test('AUTHN-1c: a replayed code counts as a failure and is logged', async () => {
    const user = await fixture.user('replay-victim');
    const { secret } = await totp.beginEnrolment(user);
    await totp.confirmEnrolment(user.id, codeAt(secret, clock.now().getTime()));
    clock.advance(2 * STEP);
    const code = codeAt(secret, clock.now().getTime());
    const ctx = { ip: '192.0.2.33' };
    assert.equal(await errorCode(gate.checkTotp(user, code, ctx)), 'accepted');
    assert.equal(await errorCode(gate.checkTotp(user, code, ctx)), 'E_OTP_REPLAYED');
    const kinds = (await events.listSecurityEvents(user.id)).map((e) => e.kind);
    assert.deepEqual(kinds, ['totp-replayed', 'second-factor-failed']);
  });

  test('AUTHN-1d: using a recovery code sends mail and is logged', async () => {
    const user = await fixture.user('recovering');
    const { secret } = await totp.beginEnrolment(user);
    const { recoveryCodes } = await totp.confirmEnrolment(user.id, codeAt(secret, clock.now().getTime()));
    const { remaining } = await gate.checkRecoveryCode(user, recoveryCodes[4]!, { ip: '192.0.2.44' });
    assert.equal(remaining, 9);
    assert.equal(await errorCode(gate.checkRecoveryCode(user, recoveryCodes[4]!, { ip: '192.0.2.44' })), 'E_OTP_INVALID');
    await outbox.deliverDue();
    const mail = await sink.waitForMail(user.email, 'A recovery code was used');
    assert.match(mail.text, /9 unused code\(s\) remain/);
    assert.doesNotMatch(mail.text, new RegExp(recoveryCodes[4]!), 'the code itself is not mailed');
    assert.deepEqual((await events.listSecurityEvents(user.id)).map((e) => e.kind), ['second-factor-failed', 'recovery-code-used']);
  });
});
