import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SoftwareAuthenticator } from '@bulwark/testkit';
import { WebAuthnService } from '../../src/services/webauthn.js';
import { decideCriticalAuthenticator } from '../../src/policy/critical-authenticator.js';
import { isRegistryError } from '../../src/domain/errors.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';

const ORIGIN = 'https://registry.example.org';
const YUBIKEY_5 = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

async function expectCode(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => isRegistryError(err) && err.code === code && (!message || message.test(err.message)));
}

describe('WebAuthn (AUTHN-2b, AUTHN-3a, AUTHN-3c)', () => {
  let fixture: AuthFixture;
  let service: WebAuthnService;

  before(async () => {
    fixture = await authFixture();
    service = new WebAuthnService({ store: fixture.stores.auth.webauthn, clock: new ManualClock(), rpId: 'registry.example.org', rpName: 'Example registry', origins: [ORIGIN] });
  });
  after(() => fixture.close());

  async function registered(name: string, authenticator: SoftwareAuthenticator, purpose: 'security-key' | 'passkey') {
    const user = await fixture.user(name);
    const options = await service.registrationOptions(user, purpose);
    const credential = await service.register(user.id, authenticator.createCredential(options, ORIGIN), options.challenge, purpose, `${name}'s key`);
    return { user, credential };
  }

  test('AUTHN-2b: a security key registers and then proves the second factor; the wrong origin or challenge is refused', async () => {
    const key = new SoftwareAuthenticator({ aaguid: YUBIKEY_5, residentKeys: false });
    const { user, credential } = await registered('sk-user', key, 'security-key');
    assert.equal(credential.aaguid, YUBIKEY_5);
    assert.equal(credential.discoverable, false);
    assert.deepEqual(credential.transports, ['usb']);
    const options = await service.authenticationOptions(user.id);
    assert.deepEqual(options.allowCredentials?.map((c) => c.id), [credential.id]);
    const used = await service.authenticate(key.getAssertion(options, ORIGIN), options.challenge, user.id);
    assert.equal(used.counter, 1);
    assert.equal((await fixture.stores.auth.webauthn.find(credential.id))?.counter, 1);

    const phished = await service.authenticationOptions(user.id);
    await expectCode(service.authenticate(key.getAssertion(phished, 'https://registry-example.org'), phished.challenge, user.id), 'E_WEBAUTHN_INVALID', /origin/i);
    const stale = await service.authenticationOptions(user.id);
    const fresh = await service.authenticationOptions(user.id);
    await expectCode(service.authenticate(key.getAssertion(stale, ORIGIN), fresh.challenge, user.id), 'E_WEBAUTHN_INVALID', /challenge/i);
  });

  test('AUTHN-2b: a key is bound to its account, may not be registered twice, and a cloned key (counter going back) is refused', async () => {
    const key = new SoftwareAuthenticator({ residentKeys: false });
    const { user, credential } = await registered('clone-user', key, 'security-key');
    const other = await fixture.user('other-user');
    const forOther = await service.authenticationOptions(user.id);
    await expectCode(service.authenticate(key.getAssertion(forOther, ORIGIN), forOther.challenge, other.id), 'E_WEBAUTHN_INVALID');

    const first = await service.authenticationOptions(user.id);
    const early = key.getAssertion(first, ORIGIN);
    const second = await service.authenticationOptions(user.id);
    await service.authenticate(key.getAssertion(second, ORIGIN), second.challenge, user.id);
    await expectCode(service.authenticate(early, first.challenge, user.id), 'E_WEBAUTHN_INVALID', /counter/i);

    const again = await service.registrationOptions(user, 'security-key');
    assert.deepEqual(again.excludeCredentials?.map((c) => c.id), [credential.id]);
  });

  test('AUTHN-3a: a passkey (discoverable, user verified) signs in without a user name or password', async () => {
    const phone = new SoftwareAuthenticator({ synced: true, counter: false });
    const { user, credential } = await registered('passkey-user', phone, 'passkey');
    assert.equal(credential.discoverable, true);
    assert.equal(credential.userVerified, true);
    assert.equal(credential.backedUp, true);
    const options = await service.authenticationOptions(null);
    assert.deepEqual(options.allowCredentials ?? [], []);
    assert.equal(options.userVerification, 'required');
    const signedIn = await service.authenticate(phone.getAssertion(options, ORIGIN), options.challenge, null);
    assert.equal(signedIn.userId, user.id);
    // A counter-less authenticator (always 0) keeps working.
    const next = await service.authenticationOptions(null);
    assert.equal((await service.authenticate(phone.getAssertion(next, ORIGIN), next.challenge, null)).userId, user.id);
  });

  test('AUTHN-3a: without user verification a credential is no passkey: refused at registration and at passwordless sign-in', async () => {
    const noPin = new SoftwareAuthenticator({ userVerification: false });
    const user = await fixture.user('no-uv-user');
    const options = await service.registrationOptions(user, 'passkey');
    await expectCode(service.register(user.id, noPin.createCredential(options, ORIGIN), options.challenge, 'passkey', 'x'), 'E_WEBAUTHN_INVALID', /verif/i);
    // As a security key it registers (a second factor after the password) ...
    const asKey = await service.registrationOptions(user, 'security-key');
    await service.register(user.id, noPin.createCredential(asKey, ORIGIN), asKey.challenge, 'security-key', 'x');
    // ... but it cannot sign in alone.
    const login = await service.authenticationOptions(null);
    await expectCode(service.authenticate(noPin.getAssertion({ ...login, allowCredentials: [{ id: noPin.credentials.at(-1)!.id.toString('base64url') }] }, ORIGIN), login.challenge, null), 'E_WEBAUTHN_INVALID', /verif/i);
  });

  test('AUTHN-3c: for critical packages only WebAuthn counts, and only the models the operator lists', async () => {
    const key = new SoftwareAuthenticator({ aaguid: YUBIKEY_5, residentKeys: false });
    const { credential } = await registered('critical-user', key, 'security-key');
    const webauthn = { kind: 'webauthn' as const, aaguid: credential.aaguid, userVerified: credential.userVerified };
    assert.equal(decideCriticalAuthenticator({ kind: 'totp' }, []).allow, false);
    assert.equal(decideCriticalAuthenticator({ kind: 'recovery-code' }, []).allow, false);
    assert.equal(decideCriticalAuthenticator(webauthn, []).allow, true);
    assert.equal(decideCriticalAuthenticator(webauthn, [YUBIKEY_5.toUpperCase()]).allow, true);
    const other = decideCriticalAuthenticator(webauthn, ['ee882879-721c-4913-9775-3dfcce97072a']);
    assert.ok(!other.allow && other.code === 'E_AUTHENTICATOR_NOT_ALLOWED');
    const unattested = decideCriticalAuthenticator({ kind: 'webauthn', aaguid: '00000000-0000-0000-0000-000000000000' }, ['00000000-0000-0000-0000-000000000000']);
    assert.equal(unattested.allow, false, 'the zero AAGUID never matches a list');
  });
});
