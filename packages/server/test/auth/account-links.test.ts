// AUTHN-1a/1b: mailed links (email confirmation, password reset) work once and expire, and
// email reset is refused when the operator's hook says the address cannot be trusted.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, beforeEach, test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { buildAuthServices, webAuthServices } from '../../src/main.js';
import { Accounts } from '../../src/services/accounts.js';
import type { WebAuthContext } from '../../src/http/context.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';

let fx: AuthFixture;
let clock: ManualClock;
const context = { ip: '203.0.113.9', userAgent: 'test' };

async function services(canRecoverByEmail?: Parameters<typeof webAuthServices>[5]): Promise<{ web: WebAuthContext; accounts: Accounts }> {
  const config = loadConfig({ env: { BULWARK_DATA_DIR: fx.dataDir, BULWARK_REGISTRATION: 'open' } });
  const cfg = { ...config, auth: { ...config.auth, breachedPasswords: { ...config.auth.breachedPasswords, mode: 'off' as const } } };
  const accounts = new Accounts({ store: fx.stores.metadata, clock, registration: 'open' });
  const auth = buildAuthServices(cfg, fx.stores, pino({ level: 'silent' }), clock);
  return { web: webAuthServices(cfg, fx.stores, accounts, auth, clock, canRecoverByEmail), accounts };
}

beforeEach(async () => {
  await fx?.close();
  fx = await authFixture();
  clock = new ManualClock();
});
after(async () => fx?.close());

test('AUTHN-1a: the sign-up link confirms once; before it the account cannot sign in', async () => {
  const { web } = await services();
  let secret = '';
  await web.account.signUp({ name: 'hana', email: 'hana@example.test', password: 'hana has a long passphrase' }, (s) => (secret = s), context);
  const hana = (await fx.stores.metadata.findUserByName('hana'))!;
  await assert.rejects(web.account.assertMaySignIn(hana.id), { code: 'E_EMAIL_NOT_VERIFIED' });
  assert.equal((await web.account.verifyEmail(secret)).id, hana.id);
  await web.account.assertMaySignIn(hana.id);
  await assert.rejects(web.account.verifyEmail(secret), { code: 'E_LINK_INVALID' });
  // The link is keyed by the secret's SHA-256, not the secret.
  let fresh = '';
  await web.account.requestReset('hana', (s) => (fresh = s), context);
  const now = clock.now();
  assert.equal(await fx.stores.auth.web.peekLink(fresh, 'reset-password', now), null);
  assert.equal(await fx.stores.auth.web.peekLink(createHash('sha256').update(fresh).digest('hex'), 'reset-password', now), hana.id);
});

test('AUTHN-1b: a reset link expires', async () => {
  const { web } = await services();
  await web.account.signUp({ name: 'ivan', email: 'ivan@example.test', password: 'ivan has a long passphrase' }, () => 'http://localhost/verify', context);
  let secret = '';
  await web.account.requestReset('ivan@example.test', (s) => (secret = s), context);
  assert.ok(secret);
  assert.equal((await web.account.resetLinkUser(secret))?.name, 'ivan');
  clock.advance(31 * 60_000);
  assert.equal(await web.account.resetLinkUser(secret), null);
  await assert.rejects(web.account.resetPassword(secret, 'a brand new passphrase', context), { code: 'E_LINK_INVALID' });
});

test('AUTHN-1b: with a canRecoverByEmail hook saying no, no reset link is made and a made one is refused', async () => {
  let allow = true;
  const { web } = await services(async () => allow);
  await web.account.signUp({ name: 'june', email: 'june@abandoned.test', password: 'june has a long passphrase' }, () => 'http://localhost/verify', context);
  let earlier = '';
  await web.account.requestReset('june', (s) => (earlier = s), context);
  allow = false;
  let secret = '';
  await web.account.requestReset('june', (s) => (secret = s), context);
  assert.equal(secret, '', 'no link for an address that is not trusted');
  await assert.rejects(web.account.resetPassword(earlier, 'a brand new passphrase', context), { code: 'E_RECOVERY_REFUSED' });
  const june = (await fx.stores.metadata.findUserByName('june'))!;
  const events = await web.events.listSecurityEvents(june.id);
  assert.ok(events.some((e) => e.kind === 'recovery-started' && e.detail.refused === true));
});
