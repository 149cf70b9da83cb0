// AUTHN-1e on the web sign-in: password and second-factor steps go through the throttle (a
// locked step refuses even the right secret) and every failure lands in the user's security log.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TOTP, URI } from 'otpauth';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock, totpServiceFor } from '../../src/main.js';
import { SecurityEvents } from '../../src/services/security-events.js';
import { Browser } from './web-browser.js';
import { inProcessRegistry, type InProcessRegistry } from './harness.js';

let reg: InProcessRegistry;
let uri: string;
let frankId: number;

before(async () => {
  reg = await inProcessRegistry({ auth: { throttle: { passwordPerAccount: 3, secondFactorPerAccount: 3 } } });
  await reg.user('frank', { password: 'frank-long-password-1' });
  await reg.user('gina', { password: 'gina-long-password-1' });
  const frank = (await reg.stores.metadata.findUserByName('frank'))!;
  frankId = frank.id;
  ({ uri } = await totpServiceFor(loadConfig({ file: join(reg.dataDir, 'config.json'), env: {} }), reg.stores).enrolConfirmed(frank));
});

after(async () => reg?.close());

const kinds = async (userId: number) => (await new SecurityEvents({ store: reg.stores.auth.securityEvents, clock: systemClock }).listSecurityEvents(userId)).map((e) => e.kind);

test('AUTHN-1e: wrong passwords on the web sign-in lock the account step, even for the right password, and are logged', async () => {
  const browser = new Browser(reg.app);
  for (let i = 0; i < 3; i++) {
    const wrong = await browser.submit('/-/ui/sign-in', '/-/ui/sign-in', { username: 'gina', password: `wrong-password-${i}` });
    assert.equal(wrong.statusCode, 401);
  }
  const locked = await browser.submit('/-/ui/sign-in', '/-/ui/sign-in', { username: 'gina', password: 'gina-long-password-1' });
  assert.equal(locked.statusCode, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  assert.match(locked.body, /Too many failed attempts/);
  const gina = (await reg.stores.metadata.findUserByName('gina'))!;
  const logged = await kinds(gina.id);
  assert.equal(logged.filter((k) => k === 'password-failed').length, 3);
  assert.ok(logged.includes('throttled'));
});

test('AUTHN-1e: wrong TOTP codes at the second-factor step lock it; the right code is then refused too', async () => {
  const browser = new Browser(reg.app);
  const password = await browser.submit('/-/ui/sign-in', '/-/ui/sign-in', { username: 'frank', password: 'frank-long-password-1' });
  assert.equal(password.statusCode, 303);
  assert.match(String(password.headers.location), /second-factor/);
  for (let i = 0; i < 3; i++) {
    const wrong = await browser.submit('/-/ui/sign-in/second-factor', '/-/ui/sign-in/totp', { code: String(100000 + i) });
    assert.equal(wrong.statusCode, 401);
  }
  const right = (URI.parse(uri) as TOTP).generate();
  const locked = await browser.submit('/-/ui/sign-in/second-factor', '/-/ui/sign-in/totp', { code: right });
  assert.equal(locked.statusCode, 429);
  assert.equal((await browser.request('GET', '/-/ui/account')).statusCode, 303, 'still not signed in');
  const logged = await kinds(frankId);
  assert.equal(logged.filter((k) => k === 'second-factor-failed').length, 3);
  assert.ok(logged.includes('throttled'));
});
