// AUTHN-1b end to end: `bulwark admin user recover` mails a single-use link; the link's page sets a
// new password once; the account signs in with it; the link is then dead.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SmtpSink } from '@bulwark/testkit';
import { startRegistry, type TestRegistry } from './support.js';

/** Cookie header from a response's Set-Cookie headers. */
const cookiesOf = (res: Response): string => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

describe('operator-assisted account recovery (AUTHN-1b)', () => {
  let env: TestRegistry;
  let sink: SmtpSink;

  before(async () => {
    sink = await SmtpSink.start();
    env = await startRegistry(['rita'], { config: { mail: { smtpUrl: sink.url, pollSeconds: 1, retryBaseSeconds: 1 } } });
  });
  after(async () => {
    await env?.close();
    await sink?.close();
  });

  test('AUTHN-1b: the mailed recovery link sets a new password once, and the old credentials are gone', async () => {
    const run = await env.reg.cli(['admin', 'user', 'recover', 'rita', '--reason', 'ticket 7: identity checked', '--operator', 'olga']);
    assert.equal(run.code, 0, run.stderr);
    const mail = await sink.waitForMail('rita@example.test', /recover/i, 20_000);
    assert.match(mail.text, /ticket 7: identity checked/);
    const link = /https?:\/\/\S+\/-\/ui\/recover\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    assert.ok(link, `the mail carries the link: ${mail.text}`);
    const url = new URL(link);
    const page = await fetch(`${env.reg.url.replace(/\/$/, '')}${url.pathname}${url.search}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(csrf);
    const target = `${env.reg.url.replace(/\/$/, '')}${url.pathname}${url.search}`;
    const post = (password: string) => fetch(target, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: cookiesOf(page), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf!, password }).toString(),
    });
    const newPassword = 'Rita-recovered-passphrase-2026';
    assert.equal((await post(newPassword)).status, 303);
    // The old token was revoked by the recovery; the new password works for npm's couch login.
    assert.equal((await fetch(`${env.reg.url}-/whoami`, { headers: { authorization: `Bearer ${env.users.rita!.token}` } })).status, 401);
    const basic = Buffer.from(`rita:${newPassword}`).toString('base64');
    assert.equal((await fetch(`${env.reg.url}-/whoami`, { headers: { authorization: `Basic ${basic}` } })).status, 200);
    // The link worked once.
    assert.notEqual((await post('Another-passphrase-2026-x')).status, 303);
  });
});
