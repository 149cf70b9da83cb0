// AUTHN-3b: the browser approval behind npm's OTP challenge (domain/web-otp.ts), over HTTP: the
// page needs the same user's session and a fresh second factor; npm's poll gets 202 until then,
// the one-time code once; the code works once, for that user only.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TOTP, URI } from 'otpauth';
import { loadConfig } from '../../src/config/load-config.js';
import { WEB_OTP_PREFIX } from '../../src/domain/web-otp.js';
import { systemClock, totpServiceFor } from '../../src/main.js';
import { WebOtpApprovalService } from '../../src/services/web-otp-approvals.js';
import { inProcessRegistry, type InProcessRegistry } from './harness.js';
import { Browser } from './web-browser.js';

const PUBLIC = 'http://localhost:4873';

let reg: InProcessRegistry;
let uri: string;
let daveId: number;
let eveId: number;
let approvals: WebOtpApprovalService;

before(async () => {
  reg = await inProcessRegistry({ publicUrl: PUBLIC });
  await reg.user('dave', { password: 'dave-long-password-1' });
  await reg.user('eve', { password: 'eve-long-password-1' });
  const config = loadConfig({ file: join(reg.dataDir, 'config.json'), env: {} });
  const dave = (await reg.stores.metadata.findUserByName('dave'))!;
  daveId = dave.id;
  eveId = (await reg.stores.metadata.findUserByName('eve'))!.id;
  ({ uri } = await totpServiceFor(config, reg.stores).enrolConfirmed(dave));
  // Another instance over the same database: what the npm side's OTP challenge calls.
  approvals = new WebOtpApprovalService({ store: reg.stores.auth.web, clock: systemClock, ttlMs: 5 * 60_000 });
});

after(async () => reg?.close());

const code = (stepsAhead: number) => (URI.parse(uri) as TOTP).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
const path = (url: string) => url.slice(PUBLIC.length);

test('AUTHN-3b: an approval needs the same user signed in with a fresh second factor; npm polls 202, then gets a one-time code once', async () => {
  const { authUrl, doneUrl } = await approvals.start(daveId, 'publish dave-pkg@1.0.0', PUBLIC);
  assert.match(authUrl, /^http:\/\/localhost:4873\/-\/ui\/approve\/[A-Za-z0-9_-]{32}$/);
  const pending = await reg.app.inject({ method: 'GET', url: path(doneUrl) });
  assert.equal(pending.statusCode, 202);
  assert.equal(pending.headers['retry-after'], '1');

  const browser = new Browser(reg.app);
  const signedOut = await browser.request('GET', path(authUrl));
  assert.equal(signedOut.statusCode, 303);
  assert.match(String(signedOut.headers.location), /\/-\/ui\/sign-in\?next=/);

  const password = await browser.submit('/-/ui/sign-in', '/-/ui/sign-in', { username: 'dave', password: 'dave-long-password-1', next: path(authUrl) });
  assert.equal(password.statusCode, 303);
  assert.match(String(password.headers.location), /\/-\/ui\/sign-in\/second-factor/);
  const second = await browser.submit(String(password.headers.location), '/-/ui/sign-in/totp', { code: code(0), next: path(authUrl) });
  assert.equal(second.statusCode, 303);
  assert.equal(second.headers.location, path(authUrl));

  // Eve's approval is not Dave's to approve.
  const eves = await approvals.start(eveId, 'publish eve-pkg@1.0.0', PUBLIC);
  assert.equal((await browser.request('GET', path(eves.authUrl))).statusCode, 404);

  const page = await browser.request('GET', path(authUrl));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /publish dave-pkg@1\.0\.0/);
  // A session alone is not enough: a wrong code is refused and nothing is approved.
  const wrong = await browser.submit(path(authUrl), `${path(authUrl)}/totp`, { code: '000000' });
  assert.equal(wrong.statusCode, 401);
  assert.equal((await reg.app.inject({ method: 'GET', url: path(doneUrl) })).statusCode, 202);
  const approved = await browser.submit(path(authUrl), `${path(authUrl)}/totp`, { code: code(1) });
  assert.equal(approved.statusCode, 200);
  assert.match(approved.body, /Approved\. Return to your terminal/);

  assert.equal((await reg.app.inject({ method: 'GET', url: path(doneUrl).replace(/secret=.*/, 'secret=wrong') })).statusCode, 404);
  const done = await reg.app.inject({ method: 'PUT', url: path(doneUrl) });
  assert.equal(done.statusCode, 200);
  const token = (done.json() as { token: string }).token;
  assert.ok(token.startsWith(WEB_OTP_PREFIX));
  assert.equal((await reg.app.inject({ method: 'GET', url: path(doneUrl) })).statusCode, 404, 'the code is handed out once');

  assert.equal(await approvals.consume(eveId, token), null, 'another user cannot use the code');
  assert.deepEqual(await approvals.consume(daveId, token), { factor: 'totp' });
  assert.equal(await approvals.consume(daveId, token), null, 'the code works once');
  assert.equal(await approvals.consume(daveId, `${WEB_OTP_PREFIX}made-up`), null);
});

test('AUTHN-3c: an approval for a critical package offers no TOTP form and refuses a TOTP approval', async () => {
  // A user of her own, so that her TOTP steps are all unused.
  await reg.user('fay', { password: 'fay-long-password-1' });
  const config = loadConfig({ file: join(reg.dataDir, 'config.json'), env: {} });
  const fay = (await reg.stores.metadata.findUserByName('fay'))!;
  const fayUri = (await totpServiceFor(config, reg.stores).enrolConfirmed(fay)).uri;
  const fayCode = (stepsAhead: number) => (URI.parse(fayUri) as TOTP).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
  const { authUrl, doneUrl } = await approvals.start(fay.id, 'publish crit-pkg@1.0.0', PUBLIC, { phishingResistant: true });
  const browser = new Browser(reg.app);
  const password = await browser.submit('/-/ui/sign-in', '/-/ui/sign-in', { username: 'fay', password: 'fay-long-password-1', next: path(authUrl) });
  const second = await browser.submit(String(password.headers.location), '/-/ui/sign-in/totp', { code: fayCode(0), next: path(authUrl) });
  assert.equal(second.headers.location, path(authUrl));
  const page = await browser.request('GET', path(authUrl));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /only a security key or passkey can approve/);
  assert.doesNotMatch(page.body, /id="approve-totp"/, 'no TOTP form');
  assert.match(page.body, /no security key or passkey/, 'fay has none, and is told what to add');
  // Posting a code anyway (an old form, a script) approves nothing.
  const forced = await browser.submit(path(authUrl), `${path(authUrl)}/totp`, { code: fayCode(1) });
  assert.equal(forced.statusCode, 403);
  assert.equal((await reg.app.inject({ method: 'GET', url: path(doneUrl) })).statusCode, 202, 'still pending');
  const id = authUrl.slice(authUrl.lastIndexOf('/') + 1);
  await assert.rejects(approvals.approve(id, fay.id, 'totp'), { code: 'E_PHISHING_RESISTANT_REQUIRED' });
});
