// AUTHN-1a, 1d, 2a: changing the account's email address. The password is asked again, the change
// waits for the link mailed to the new address (single use, expires), both addresses are told, and
// an address of another account or at an abandoned domain is never taken over.
import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { buildAuthServices, webAuthServices } from '../../src/main.js';
import { Accounts } from '../../src/services/accounts.js';
import type { WebAuthContext } from '../../src/http/context.js';
import type { UserRecord } from '../../src/domain/records.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';

let fx: AuthFixture;
let clock: ManualClock;
const context = { ip: '203.0.113.9', userAgent: 'test' };
const PASSWORD = 'kira has a long passphrase';

async function services(canRecoverByEmail?: Parameters<typeof webAuthServices>[5]): Promise<WebAuthContext> {
  const config = loadConfig({ env: { BULWARK_DATA_DIR: fx.dataDir, BULWARK_REGISTRATION: 'open' } });
  const cfg = { ...config, auth: { ...config.auth, breachedPasswords: { ...config.auth.breachedPasswords, mode: 'off' as const } } };
  const accounts = new Accounts({ store: fx.stores.metadata, clock, registration: 'open' });
  await accounts.createUser({ name: 'kira', email: 'kira@old.example', password: PASSWORD, isAdmin: false });
  await accounts.createUser({ name: 'lena', email: 'lena@example.org', password: 'lena has a long passphrase', isAdmin: false });
  const auth = buildAuthServices(cfg, fx.stores, pino({ level: 'silent' }), clock);
  return webAuthServices(cfg, fx.stores, accounts, auth, clock, canRecoverByEmail);
}

const kira = async (): Promise<UserRecord> => (await fx.stores.metadata.findUserByName('kira'))!;
const mails = async (kind: string) => (await fx.stores.auth.outbox.list(100)).filter((m) => m.kind === kind);

beforeEach(async () => {
  await fx?.close();
  fx = await authFixture();
  clock = new ManualClock();
});
after(async () => fx?.close());

test('AUTHN-1d: the new address is confirmed by a single-use link; then both the old and the new address get mail', async () => {
  const web = await services();
  let secret = '';
  await web.emailChange.request(await kira(), PASSWORD, 'kira@new.example', (s) => (secret = s), context);
  assert.ok(secret, 'a link was made');
  assert.equal((await kira()).email, 'kira@old.example', 'nothing changes before the link is opened');
  const [link] = await mails('email-change-link');
  assert.equal(link?.to, 'kira@new.example', 'the link goes to the new address only');
  assert.ok(link?.text.includes(secret));

  const changed = await web.emailChange.confirm(secret, context);
  assert.equal(changed.email, 'kira@new.example');
  assert.equal((await kira()).email, 'kira@new.example');
  const [old] = await mails('email-changed-old');
  const [fresh] = await mails('email-changed-new');
  assert.equal(old?.to, 'kira@old.example');
  assert.match(old!.text, /kira@new\.example/);
  assert.equal(fresh?.to, 'kira@new.example');
  assert.ok(!old!.text.includes(secret) && !fresh!.text.includes(secret), 'the link is not repeated in the notices');
  const kinds = (await web.events.listSecurityEvents((await kira()).id)).map((e) => e.kind);
  assert.ok(kinds.includes('email-change-requested') && kinds.includes('email-changed'), kinds.join(', '));
  await assert.rejects(web.emailChange.confirm(secret, context), { code: 'E_LINK_INVALID' }, 'the link works once');
});

test('AUTHN-1e: a wrong current password is refused, throttled and changes nothing', async () => {
  const web = await services();
  let secret = '';
  await assert.rejects(web.emailChange.request(await kira(), 'not the password', 'kira@new.example', (s) => (secret = s), context), { code: 'E_BAD_CREDENTIALS' });
  assert.equal(secret, '');
  assert.deepEqual(await mails('email-change-link'), []);
  const kinds = (await web.events.listSecurityEvents((await kira()).id)).map((e) => e.kind);
  assert.ok(kinds.includes('password-failed'), kinds.join(', '));
});

test('AUTHN-1a: the link expires', async () => {
  const web = await services();
  let secret = '';
  await web.emailChange.request(await kira(), PASSWORD, 'kira@new.example', (s) => (secret = s), context);
  clock.advance(7 * 24 * 3600_000);
  await assert.rejects(web.emailChange.confirm(secret, context), { code: 'E_LINK_INVALID' });
  assert.equal((await kira()).email, 'kira@old.example');
});

test('AUTHN-1a: another account\'s address is never taken: no link, the same answer, and its owner is told', async () => {
  const web = await services();
  let secret = '';
  await web.emailChange.request(await kira(), PASSWORD, 'lena@example.org', (s) => (secret = s), context);
  assert.equal(secret, '', 'no link is made');
  const [told] = await mails('email-in-use');
  assert.equal(told?.to, 'lena@example.org');
  assert.equal((await kira()).email, 'kira@old.example');
});

test('AUTHN-2a: a new address at an abandoned domain is refused', async () => {
  const web = await services(async (user) => !user.email.endsWith('@lapsed.example'));
  await assert.rejects(web.emailChange.request(await kira(), PASSWORD, 'kira@lapsed.example', () => '', context), { code: 'E_EMAIL_DOMAIN_ABANDONED' });
  assert.deepEqual(await mails('email-change-link'), []);
});

test('AUTHN-1a: malformed and unchanged addresses are refused clearly', async () => {
  const web = await services();
  await assert.rejects(web.emailChange.request(await kira(), PASSWORD, 'not an address', () => '', context), { code: 'E_BAD_REQUEST' });
  await assert.rejects(web.emailChange.request(await kira(), PASSWORD, 'KIRA@old.example', () => '', context), { code: 'E_BAD_REQUEST' });
  await assert.rejects(web.emailChange.confirm('../../etc/passwd', context), { code: 'E_LINK_INVALID' });
});
