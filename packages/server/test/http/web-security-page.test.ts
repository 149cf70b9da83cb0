// AUTHN-1c, 1e: on the account security page, turning the authenticator app off needs the current
// password again (throttled, logged): an open or stolen session alone cannot strip the factor.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TOTP, URI } from 'otpauth';
import { loadConfig } from '../../src/config/load-config.js';
import { totpServiceFor } from '../../src/main.js';
import { inProcessRegistry, type InProcessRegistry } from './harness.js';
import { Browser } from './web-browser.js';

const PASSWORD = 'gwen-long-password-1';
let reg: InProcessRegistry;
let uri: string;

before(async () => {
  reg = await inProcessRegistry({ publicUrl: 'http://localhost:4873' });
  await reg.user('gwen', { password: PASSWORD });
  const config = loadConfig({ file: join(reg.dataDir, 'config.json'), env: {} });
  ({ uri } = await totpServiceFor(config, reg.stores).enrolConfirmed((await reg.stores.metadata.findUserByName('gwen'))!));
});
after(async () => reg?.close());

test('AUTHN-1c: turning the authenticator app off asks for the current password; a wrong one changes nothing and is logged', async () => {
  const browser = new Browser(reg.app);
  const password = await browser.submit('/-/ui/sign-in', '/-/ui/sign-in', { username: 'gwen', password: PASSWORD });
  const second = await browser.submit(String(password.headers.location), '/-/ui/sign-in/totp', { code: (URI.parse(uri) as TOTP).generate() });
  assert.equal(second.statusCode, 303, second.body);
  const gwen = (await reg.stores.metadata.findUserByName('gwen'))!;
  const totp = totpServiceFor(loadConfig({ file: join(reg.dataDir, 'config.json'), env: {} }), reg.stores);

  const page = await browser.request('GET', '/-/ui/account/security');
  assert.match(page.body, /id="totp-off-password"/, 'the form asks for the password');
  const wrong = await browser.submit('/-/ui/account/security', '/-/ui/account/security/totp/remove', { current: 'not-the-password-1' });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.body, /current password is not correct/);
  assert.equal(await totp.isEnrolled(gwen.id), true, 'still on');
  const none = await browser.submit('/-/ui/account/security', '/-/ui/account/security/totp/remove', {});
  assert.equal(none.statusCode, 401, 'no password at all is the same refusal');
  assert.equal(await totp.isEnrolled(gwen.id), true);

  const right = await browser.submit('/-/ui/account/security', '/-/ui/account/security/totp/remove', { current: PASSWORD });
  assert.equal(right.statusCode, 303);
  assert.equal(await totp.isEnrolled(gwen.id), false);
  const mail = (await reg.stores.auth.outbox.list(50)).filter((m) => m.kind === 'mfa-removed');
  assert.equal(mail.length, 1, 'the owner is mailed');
  const events = (await reg.stores.auth.securityEvents.listForUser(gwen.id, 50)).map((e) => e.kind);
  assert.ok(events.includes('password-failed') && events.includes('totp-removed'), events.join(', '));
});
