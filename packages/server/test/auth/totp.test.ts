import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Secret, TOTP, URI } from 'otpauth';
import { totpCode } from '@bulwark/testkit';
import { TotpService } from '../../src/services/totp.js';
import { SecretBox } from '../../src/services/secret-box.js';
import { openStores } from '../../src/main.js';
import { isRegistryError } from '../../src/domain/errors.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';

const STEP = 30_000;

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => isRegistryError(err) && err.code === code);
}

function codeAt(secret: string, ms: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: ms });
}

describe('TOTP (AUTHN-1c)', () => {
  let fixture: AuthFixture;
  const kek = randomBytes(32);
  // Mid-step, so +-1 step is unambiguous.
  const clock = new ManualClock(Date.parse('2026-03-01T12:00:15Z'));
  let service: TotpService;

  before(async () => {
    fixture = await authFixture();
    service = new TotpService({ store: fixture.stores.auth.totp, box: new SecretBox(kek), clock, issuer: 'registry.example.org' });
  });
  after(() => fixture.close());

  async function enrolled(name: string): Promise<{ id: number; secret: string; uri: string; recoveryCodes: string[] }> {
    const user = await fixture.user(name);
    const enrolment = await service.beginEnrolment(user);
    const { recoveryCodes } = await service.confirmEnrolment(user.id, codeAt(enrolment.secret, clock.now().getTime()));
    // Two steps on, so the step before "now" was not used by the confirmation.
    clock.advance(2 * STEP);
    return { id: user.id, secret: enrolment.secret, uri: enrolment.uri, recoveryCodes };
  }

  test('AUTHN-1c: enrolment gives a secret, an otpauth URI and a QR code, and is on only after a correct first code', async () => {
    const user = await fixture.user('enrol');
    const enrolment = await service.beginEnrolment(user);
    assert.match(enrolment.secret, /^[A-Z2-7]{32}$/, '160-bit base32 secret');
    const parsed = URI.parse(enrolment.uri);
    assert.ok(parsed instanceof TOTP);
    assert.equal(parsed.issuer, 'registry.example.org');
    assert.equal(parsed.label, 'enrol');
    assert.equal(parsed.digits, 6);
    assert.equal(parsed.period, 30);
    assert.equal(parsed.secret.base32, enrolment.secret);
    assert.match(enrolment.qrSvg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.doesNotMatch(enrolment.qrSvg, /<script/i);
    assert.equal(await service.isEnrolled(user.id), false);
    await expectCode(service.verify(user.id, codeAt(enrolment.secret, clock.now().getTime())), 'E_OTP_INVALID');
    await expectCode(service.confirmEnrolment(user.id, '000000' === codeAt(enrolment.secret, clock.now().getTime()) ? '111111' : '000000'), 'E_OTP_INVALID');
    const { recoveryCodes } = await service.confirmEnrolment(user.id, totpCode(enrolment.uri, clock.now()));
    assert.equal(recoveryCodes.length, 10);
    assert.equal(await service.isEnrolled(user.id), true);
    await expectCode(service.beginEnrolment(user), 'E_FACTOR_EXISTS');
  });

  test('AUTHN-1c: codes of the current step and one step either side are accepted', async () => {
    const { id, secret } = await enrolled('window');
    const now = clock.now().getTime();
    await service.verify(id, codeAt(secret, now - STEP));
    await service.verify(id, codeAt(secret, now));
    await service.verify(id, codeAt(secret, now + STEP));
  });

  test('AUTHN-1c: a replayed code is refused, also when sent twice at once', async () => {
    const { id, secret } = await enrolled('replay');
    const code = codeAt(secret, clock.now().getTime());
    await service.verify(id, code);
    await expectCode(service.verify(id, code), 'E_OTP_REPLAYED');
    // An older step after a newer one is refused too: a used step is never accepted again.
    clock.advance(STEP);
    await service.verify(id, codeAt(secret, clock.now().getTime()));
    await expectCode(service.verify(id, codeAt(secret, clock.now().getTime() - STEP)), 'E_OTP_REPLAYED');
    // Two nodes (two database connections) get the same fresh code at the same moment: one wins.
    clock.advance(STEP * 3);
    const other = await openStores({ dataDir: fixture.dataDir });
    try {
      const second = new TotpService({ store: other.auth.totp, box: new SecretBox(kek), clock, issuer: 'registry.example.org' });
      const fresh = codeAt(secret, clock.now().getTime());
      const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => (i % 2 ? service : second).verify(id, fresh)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'E_OTP_REPLAYED');
    } finally {
      await other.metadata.close();
    }
  });

  test('AUTHN-1c: a code 2 to 10 steps away is refused with an out-of-sync hint; further away is just invalid', async () => {
    const { id, secret } = await enrolled('drift');
    const now = clock.now().getTime();
    await expectCode(service.verify(id, codeAt(secret, now + 2 * STEP)), 'E_OTP_OUT_OF_SYNC');
    await expectCode(service.verify(id, codeAt(secret, now - 10 * STEP)), 'E_OTP_OUT_OF_SYNC');
    await expectCode(service.verify(id, codeAt(secret, now + 40 * STEP)), 'E_OTP_INVALID');
    await expectCode(service.verify(id, 'abc123'), 'E_OTP_INVALID');
    // The hint did not use up anything: the right code still works.
    await service.verify(id, codeAt(secret, now));
  });

  test('AUTHN-1c: secrets are encrypted at rest and a wrong key-encryption key fails loudly', async () => {
    const { id, secret } = await enrolled('sealed');
    const row = await fixture.stores.auth.totp.find(id);
    assert.ok(row);
    assert.ok(!row.secretSealed.includes(secret));
    assert.match(row.secretSealed, /^v1\.[0-9a-f]{8}\./);
    const wrongKey = new TotpService({ store: fixture.stores.auth.totp, box: new SecretBox(randomBytes(32)), clock, issuer: 'x' });
    await assert.rejects(wrongKey.verify(id, codeAt(secret, clock.now().getTime())), /key-encryption key/);
    // A sealed secret moved to another user's row does not open (bound to its user id).
    const box = new SecretBox(kek);
    assert.throws(() => box.open(row.secretSealed, `totp:${id + 1}`));
  });

  test('AUTHN-1c: ten recovery codes, stored hashed, each burned on use; regenerating voids the old ones', async () => {
    const { id, recoveryCodes } = await enrolled('recovery');
    assert.equal(new Set(recoveryCodes).size, 10);
    for (const code of recoveryCodes) assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const { remaining } = await service.useRecoveryCode(id, recoveryCodes[0]!.toUpperCase().replace(/-/g, ' '));
    assert.equal(remaining, 9);
    await expectCode(service.useRecoveryCode(id, recoveryCodes[0]!), 'E_OTP_INVALID');
    await expectCode(service.useRecoveryCode(id, 'aaaa-bbbb-cccc-dddd'), 'E_OTP_INVALID');
    const fresh = await service.regenerateRecoveryCodes(id);
    await expectCode(service.useRecoveryCode(id, recoveryCodes[1]!), 'E_OTP_INVALID');
    assert.equal((await service.useRecoveryCode(id, fresh[3]!)).remaining, 9);
    await service.remove(id);
    assert.equal(await service.isEnrolled(id), false);
    assert.equal(await service.countRecoveryCodes(id), 0);
  });
});
