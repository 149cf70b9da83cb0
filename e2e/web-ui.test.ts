// The web UI in real headless Chromium: package pages, sign-in, sessions, token revocation, and
// the page security rules (strict CSP with no violations, CSRF and cross-site form posts refused).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freshTotpCode, openBrowser, type BrowserSession } from '@bulwark/testkit';
import { seed, startRegistry, type TestRegistry } from './support.js';

describe('web UI', () => {
  let env: TestRegistry;
  let browser: BrowserSession;
  let base: string;
  let waltToken: string;
  const WALT_PASSWORD = 'Walt-Password-123456';

  before(async () => {
    env = await startRegistry(['alice']);
    // walt signs in to the web UI with a password only (no second factor enrolled), so these
    // session and CSRF tests need no one-time codes; alice (TOTP) publishes the packages.
    await env.reg.adminUser('walt', 'walt@example.test', WALT_PASSWORD, { totp: false });
    waltToken = await env.reg.adminToken('walt');
    base = env.reg.url.replace(/\/$/, '');
    const t = env.users.alice!.token;
    await seed(env.reg, t, { name: 'ui-dep', version: '1.0.0' });
    await seed(env.reg, t, { name: '@ui/lib', version: '2.0.0', access: 'public' });
    await seed(env.reg, t, { name: 'ui-app', version: '1.0.0', dependencies: { 'ui-dep': '^1.0.0', '@ui/lib': '^2.0.0' } });
    await seed(env.reg, t, { name: 'ui-app', version: '1.1.0', dependencies: { 'ui-dep': '^1.0.0' } });
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await env?.close();
  });

  test('package list, package page and version page render from the registry', async () => {
    const { page } = browser;
    const response = await page.goto(`${base}/`);
    assert.equal(response?.status(), 200);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'; style-src 'self'/);
    assert.deepEqual((await page.locator('#packages li a').allTextContents()).sort(), ['@ui/lib', 'ui-app', 'ui-dep']);
    await page.click('text=ui-app');
    assert.equal(await page.locator('h1').textContent(), 'ui-app');
    assert.deepEqual(await page.locator('#versions tbody td:first-child').allTextContents(), ['1.1.0', '1.0.0']);
    await page.click('#versions >> text=1.0.0');
    assert.equal(await page.locator('h1').textContent(), 'ui-app@1.0.0');
    assert.deepEqual((await page.locator('table.dependencies td:first-child').allTextContents()).sort(), ['@ui/lib', 'ui-dep']);
    await page.click('table.dependencies >> text=@ui/lib');
    assert.equal(await page.locator('h1').textContent(), '@ui/lib');
    // The stylesheet is applied (served, hashed, allowed by the CSP): the header is a flex row.
    assert.equal(await page.locator('header.site').evaluate((el) => getComputedStyle(el).display), 'flex');
    assert.deepEqual(browser.problems, [], 'no console errors or CSP violations');
  });

  test('an unknown package is a 404 page, not a crash', async () => {
    const response = await browser.page.goto(`${base}/-/ui/package/no-such-package`);
    assert.equal(response?.status(), 404);
    assert.match(await browser.page.locator('#error').textContent() ?? '', /no-such-package/);
  });

  test('sign-in: a wrong password is refused; the right one opens a session listed on the account page', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/account`);
    assert.match(page.url(), /\/-\/ui\/sign-in\?next=/, 'the account page sends a signed-out browser to sign in');
    await page.fill('#username', 'walt');
    await page.fill('#password', 'not-the-password');
    await page.click('#sign-in');
    assert.match(await page.locator('#error').textContent() ?? '', /Incorrect user name or password/);
    await page.fill('#password', WALT_PASSWORD);
    await page.click('#sign-in');
    assert.match(page.url(), /\/-\/ui\/account$/);
    assert.equal(await page.locator('#account-link').textContent(), 'walt');
    assert.equal(await page.locator('#sessions tbody tr').count(), 1);
    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === 'bulwark-session');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session?.sameSite, 'Lax');
  });

  test('AUTHZ-1b: a token revoked on the account page is refused by the npm API at once', async () => {
    const { page } = browser;
    const token = waltToken;
    const whoami = () => fetch(`${base}/-/whoami`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await whoami()).status, 200);
    await page.goto(`${base}/-/ui/account`);
    await page.click('#tokens button:has-text("Revoke")');
    assert.equal(await page.locator('#notice').textContent(), 'The token was revoked.');
    assert.equal((await whoami()).status, 401);
  });

  test('AUTHZ-1a: creating a token in the browser needs a second factor; with one it is shown once and works', async () => {
    await browser.page.goto(`${base}/-/ui/account/tokens/new`);
    assert.equal(await browser.page.locator('#need-factor').count(), 1, 'walt has no second factor: no form');

    const ctx = await browser.browser.newContext();
    try {
      const page = await ctx.newPage();
      const alice = env.users.alice!;
      await page.goto(`${base}/-/ui/sign-in`);
      await page.fill('#username', 'alice');
      await page.fill('#password', alice.password);
      await page.click('#sign-in');
      const first = await freshTotpCode(alice.totpUri!);
      await page.fill('#code', first.code);
      await page.click('#verify-totp');
      assert.match(page.url(), /\/-\/ui\/account/);
      await page.goto(`${base}/-/ui/account/tokens/new`);
      await page.fill('#name', 'from the browser');
      await page.fill('#packages', 'ui-app');
      await page.fill('#password', alice.password);
      await page.fill('#otp', (await freshTotpCode(alice.totpUri!, first.step)).code);
      await page.click('#create-token');
      const token = (await page.locator('#new-token').textContent()) ?? '';
      assert.match(token, /^bwk_[0-9A-Za-z]{38}$/);
      assert.equal((await fetch(`${base}/-/whoami`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
      await page.goto(`${base}/-/ui/account`);
      assert.match(await page.locator('#tokens').textContent() ?? '', /from the browser/);
    } finally {
      await ctx.close();
    }
  });

  test('sessions: a second browser is listed and can be signed out from the first', async () => {
    const other = await browser.browser.newContext();
    try {
      const otherPage = await other.newPage();
      await otherPage.goto(`${base}/-/ui/sign-in`);
      await otherPage.fill('#username', 'walt');
      await otherPage.fill('#password', WALT_PASSWORD);
      await otherPage.click('#sign-in');
      assert.match(otherPage.url(), /\/-\/ui\/account$/);

      await browser.page.goto(`${base}/-/ui/account`);
      assert.equal(await browser.page.locator('#sessions tbody tr').count(), 2);
      await browser.page.click('#end-others');
      assert.equal(await browser.page.locator('#sessions tbody tr').count(), 1);

      await otherPage.goto(`${base}/-/ui/account`);
      assert.match(otherPage.url(), /\/-\/ui\/sign-in/, 'the other browser was signed out');
    } finally {
      await other.close();
    }
  });

  test('a form post without the CSRF token, or from another origin, is refused', async () => {
    const cookies = await browser.context.cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const noToken = await fetch(`${base}/-/ui/sign-out`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
    assert.equal(noToken.status, 403);
    assert.match(await noToken.text(), /E_CSRF_INVALID|form has expired/);
    const html = await (await fetch(`${base}/-/ui/account`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(csrf, 'the account page carries a CSRF token');
    const crossSite = await fetch(`${base}/-/ui/sign-out`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    assert.equal(crossSite.status, 403);
    // Still signed in: neither post ended the session.
    await browser.page.goto(`${base}/-/ui/account`);
    assert.match(browser.page.url(), /\/-\/ui\/account$/);
  });

  test('sign-out ends the session on the server', async () => {
    const { page } = browser;
    const before = (await browser.context.cookies()).find((c) => c.name === 'bulwark-session');
    await page.click('#sign-out');
    assert.equal(await page.locator('#sign-in-link').count(), 1);
    // Replaying the old cookie does not bring the session back.
    const replay = await fetch(`${base}/-/ui/account`, { headers: { cookie: `bulwark-session=${before?.value}` }, redirect: 'manual' });
    assert.equal(replay.status, 303);
    assert.deepEqual(browser.problems, []);
  });
});
