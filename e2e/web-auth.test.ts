// Issue 3, web side, in real headless Chromium against a spawned registry with a real SMTP sink:
// sign-up with a mailed link, TOTP, security keys and passkeys through Chrome's virtual
// authenticator (DevTools protocol), passwordless sign-in, recovery codes, password reset and
// change, the security log, a breached password at sign-in, and `npm login --auth-type=web`
// completed in the browser with password + TOTP. Every security mail these flows send is awaited
// in the sink.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import {
  ClientSandbox, SmtpSink, makeTempDir, openBrowser, ptyAvailable, removeDir, runInPty, sleep, startFaultProxy, totpCode, writePackageDir,
  type BrowserSession, type FaultProxy,
} from '@bulwark/testkit';
import { assertFailed, assertOk, out, packument, startRegistry, type TestRegistry } from './support.js';

const CAROL = { name: 'carol', email: 'carol@example.test', password: 'a long and private passphrase 1' };
const CAROL_NEW_EMAIL = 'carol@new-mail.example.test';
const LEAKED = 'Summer-2024-password!';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** TOTP codes that never reuse a step (the registry refuses a used step; it accepts one step either side). */
class Codes {
  private last = -1;
  constructor(private readonly uri: string) {}
  async next(): Promise<string> {
    for (;;) {
      const now = Date.now();
      const current = Math.floor(now / 30_000);
      const step = Math.max(current, this.last + 1);
      if (step <= current + 1) {
        this.last = step;
        return totpCode(this.uri, new Date(step * 30_000 + 1000));
      }
      await sleep((current + 1) * 30_000 - now + 100);
    }
  }
}

describe('web sign-in and account security (issue 3)', () => {
  let env: TestRegistry;
  let sink: SmtpSink;
  let browser: BrowserSession;
  let base: string;
  let cdp: CDPSession;
  let codes: Codes;
  /** The virtual platform authenticator that holds carol's passkey. */
  let platformAuthenticator = '';
  let recoveryCodes: string[] = [];
  let proxy: FaultProxy;
  let tmp: string;
  const sandboxes: ClientSandbox[] = [];
  const contexts: BrowserContext[] = [];
  /** carol's npm, signed in by the `npm login --auth-type=web` test. */
  let carolNpm: ClientSandbox | undefined;

  const mail = (subject: string) => sink.waitForMail(CAROL.email, subject, 15_000);

  async function newBrowserPage(): Promise<Page> {
    const context = await browser.browser.newContext();
    contexts.push(context);
    return context.newPage();
  }

  /** Starts `npm login --auth-type=web` through the recording proxy; the loginUrl it was given. */
  async function startWebLogin(sandbox: ClientSandbox): Promise<{ running: ReturnType<ClientSandbox['npm']>; loginUrl: string }> {
    const seen = proxy.find('POST', /\/-\/v1\/login$/).length;
    const running = sandbox.npm(['login', '--auth-type=web', '--browser=false'], { timeoutMs: 120_000 });
    let loginUrl = '';
    for (let i = 0; i < 200 && !loginUrl; i++) {
      const post = proxy.find('POST', /\/-\/v1\/login$/).slice(seen).at(-1);
      const body = post?.responseBody ? JSON.parse(post.responseBody.toString('utf8')) as { loginUrl?: string } : undefined;
      if (body?.loginUrl) loginUrl = body.loginUrl;
      else await sleep(100);
    }
    assert.ok(loginUrl.startsWith(`${base}/-/v1/login/`), loginUrl);
    return { running, loginUrl };
  }

  async function signInWithPassword(page: Page, name: string, password: string): Promise<void> {
    await page.goto(`${base}/-/ui/sign-in`);
    await page.fill('#username', name);
    await page.fill('#password', password);
    await page.click('#sign-in');
  }

  async function virtualAuthenticator(transport: 'usb' | 'internal'): Promise<string> {
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport, hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return authenticatorId;
  }

  before(async () => {
    sink = await SmtpSink.start();
    tmp = await makeTempDir('bulwark-webauth-');
    const hashFile = join(tmp, 'pwned.txt');
    await writeFile(hashFile, `${createHash('sha1').update(LEAKED).digest('hex').toUpperCase()}:42\n`);
    // WebAuthn needs a secure context and a fixed origin: http://localhost:PORT with that as publicUrl.
    const port = await freePort();
    env = await startRegistry([], {
      config: {
        registration: 'open', publicUrl: `http://localhost:${port}`,
        mail: { smtpUrl: sink.url, pollSeconds: 1, retryBaseSeconds: 1 },
        // The test addresses are under the reserved .test TLD, which DNS rightly calls abandoned
        // (NXDOMAIN); the abandoned-domain refusal itself is tested in test/auth/email-domains.test.ts.
        auth: { breachedPasswords: { mode: 'hash-file', hashFile }, domainCheck: { enabled: false } },
      },
      extraArgs: ['--port', String(port)],
    });
    base = `http://localhost:${port}`;
    await env.reg.adminUser('bob', 'bob@example.test', LEAKED, { totp: false });
    proxy = await startFaultProxy({ target: env.reg.url });
    browser = await openBrowser();
    cdp = await browser.context.newCDPSession(browser.page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    for (const s of sandboxes) await s.close();
    await browser?.close();
    await proxy?.close();
    await env?.close();
    await sink?.close();
    if (tmp) await removeDir(tmp);
  });

  test('AUTHN-1a: sign-up needs the mailed single-use link before the account can sign in', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/sign-in`);
    await page.click('#sign-up-link');
    await page.fill('#username', CAROL.name);
    await page.fill('#email', CAROL.email);
    await page.fill('#password', 'carol12345');
    await page.click('#sign-up');
    assert.match(await page.locator('#error').textContent() ?? '', /built from your user name/, 'the password policy applies (NIST: no composition rules, no user name)');
    await page.fill('#password', LEAKED);
    await page.click('#sign-up');
    assert.match(await page.locator('#error').textContent() ?? '', /leaked/, 'a leaked password is refused (AUTHN-2d)');
    await page.fill('#password', CAROL.password);
    await page.click('#sign-up');
    assert.match(await page.locator('#message').textContent() ?? '', /confirmation link/);

    await signInWithPassword(page, CAROL.name, CAROL.password);
    assert.match(await page.locator('#error').textContent() ?? '', /Confirm your email/);

    const link = SmtpSink.linkIn(await mail('Confirm your email address'));
    assert.ok(link, 'the mail has a link');
    assert.ok(link.startsWith(`${base}/-/ui/verify-email?t=`), link);
    await page.goto(link);
    assert.match(await page.locator('#notice').textContent() ?? '', /confirmed/);
    const again = await page.goto(link);
    assert.equal(again?.status(), 400, 'the link works once');

    await signInWithPassword(page, CAROL.name, CAROL.password);
    assert.match(page.url(), /\/-\/ui\/account$/);
    assert.deepEqual(browser.problems, [], 'no console errors or CSP violations');
  });

  test('AUTHN-1a: signing up again with an address in use answers the same and tells the address owner', async () => {
    const page = await newBrowserPage();
    await page.goto(`${base}/-/ui/sign-up`);
    await page.fill('#username', 'carol2');
    await page.fill('#email', CAROL.email);
    await page.fill('#password', 'yet another long passphrase');
    await page.click('#sign-up');
    assert.equal(await page.locator('#message').textContent(), `We sent a confirmation link to ${CAROL.email}. Open it to finish creating your account.`);
    await mail('Someone tried to sign up with your address');
    await signInWithPassword(page, 'carol2', 'yet another long passphrase');
    assert.match(await page.locator('#error').textContent() ?? '', /Incorrect user name or password/, 'no second account was made');
  });

  test('AUTHN-1c: TOTP enrolment with a QR code and a confirming code shows recovery codes once; the session rotates to AAL2', async () => {
    const { page } = browser;
    const before = (await browser.context.cookies()).find((c) => c.name === 'bulwark-session')?.value;
    await page.goto(`${base}/-/ui/account`);
    await page.click('#security-link');
    await page.click('#enrol-totp');
    assert.ok(await page.locator('.qr img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code renders under the CSP');
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    codes = new Codes(`otpauth://totp/x:carol?secret=${secret}&algorithm=SHA1&digits=6&period=30`);
    await page.fill('#code', '000000');
    await page.click('#confirm-totp');
    assert.match(await page.locator('#error').textContent() ?? '', /not valid|code/i, 'a wrong confirming code is refused');
    const secret2 = (await page.locator('#totp-secret').textContent())!.trim();
    codes = new Codes(`otpauth://totp/x:carol?secret=${secret2}&algorithm=SHA1&digits=6&period=30`);
    await page.fill('#code', await codes.next());
    await page.click('#confirm-totp');
    recoveryCodes = await page.locator('#recovery-codes li').allTextContents();
    assert.equal(recoveryCodes.length, 10);
    const after = (await browser.context.cookies()).find((c) => c.name === 'bulwark-session')?.value;
    assert.notEqual(after, before, 'a new session after the privilege change');
    await mail('A second factor was added');
    await mail('New recovery codes were generated');
    await page.click('#done');
    assert.match(await page.locator('#totp-status').textContent() ?? '', /On\. 10 unused/);
  });

  test('AUTHN-1c, AUTHN-1e: after sign-out, sign-in asks for the TOTP code; a wrong code is refused and logged', async () => {
    const { page } = browser;
    await page.click('#sign-out');
    await signInWithPassword(page, CAROL.name, CAROL.password);
    assert.match(page.url(), /\/-\/ui\/sign-in\/second-factor/);
    await page.fill('#code', '123456');
    await page.click('#verify-totp');
    assert.match(await page.locator('#error').textContent() ?? '', /not valid|one-time code/i);
    await page.fill('#code', await codes.next());
    await page.click('#verify-totp');
    assert.match(page.url(), /\/-\/ui\/account$/);
  });

  test('AUTHN-3a: a security key and a passkey are added through WebAuthn (virtual authenticators), with mail', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/account/security`);
    const usb = await virtualAuthenticator('usb');
    await page.fill('#credential-name', 'usb key');
    await page.click('#add-security-key');
    await page.waitForURL(/notice=key-added/);
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: usb });
    platformAuthenticator = await virtualAuthenticator('internal');
    await page.fill('#credential-name', 'laptop passkey');
    await page.click('#add-passkey');
    await page.waitForURL(/notice=passkey-added/);
    const rows = await page.locator('#credentials tbody tr').allTextContents();
    assert.equal(rows.length, 2);
    assert.ok(rows.some((r) => r.includes('usb key') && r.includes('security key')), rows.join(' | '));
    assert.ok(rows.some((r) => r.includes('laptop passkey') && r.includes('passkey')), rows.join(' | '));
    await sink.waitFor((m) => m.to.includes(CAROL.email) && m.subject.includes('A second factor was added') && m.text.includes('usb key'), 15_000);
    await mail('A new passkey was added');
  });

  test('AUTHN-3a: passwordless sign-in with the passkey (discoverable, user verified)', async () => {
    const { page } = browser;
    await page.click('#sign-out');
    await page.goto(`${base}/-/ui/sign-in`);
    await page.click('#passkey-sign-in');
    await page.waitForURL(/\/-\/ui\/account$/);
    assert.equal(await page.locator('#account-link').textContent(), 'carol');
  });

  test('AUTHN-1b, AUTHN-1d: a recovery code signs in from a new browser; mail for the code and the new device', async () => {
    const page = await newBrowserPage();
    await signInWithPassword(page, CAROL.name, CAROL.password);
    await page.fill('#recovery-code', recoveryCodes[0]!);
    await page.click('#use-recovery-code');
    assert.match(page.url(), /\/-\/ui\/account$/);
    const used = await mail('A recovery code was used');
    assert.match(used.text, /9 unused code/);
    await mail('Sign-in from a new device');
    // The same code does not work twice.
    await page.click('#sign-out');
    await signInWithPassword(page, CAROL.name, CAROL.password);
    await page.fill('#recovery-code', recoveryCodes[0]!);
    await page.click('#use-recovery-code');
    assert.match(await page.locator('#error').textContent() ?? '', /not valid|used already/);
  });

  test('AUTHN-1b: password reset by a mailed single-use link; mail on reset; every session ends', async () => {
    const page = await newBrowserPage();
    await page.goto(`${base}/-/ui/sign-in`);
    await page.click('#forgot');
    await page.fill('#account', 'nobody@example.test');
    await page.click('#request-reset');
    const unknownAnswer = await page.locator('#message').textContent();
    await page.goto(`${base}/-/ui/password-reset`);
    await page.fill('#account', CAROL.email);
    await page.click('#request-reset');
    assert.equal(await page.locator('#message').textContent(), unknownAnswer, 'the same answer whether or not the account exists');
    const link = SmtpSink.linkIn(await mail('Reset your password'));
    assert.ok(link?.startsWith(`${base}/-/ui/password-reset/confirm?t=`), String(link));
    await page.goto(link!);
    await page.fill('#new-password', LEAKED);
    await page.click('#set-password');
    assert.match(await page.locator('#error').textContent() ?? '', /leaked/, 'the new password is screened too');
    CAROL.password = 'another private passphrase 2';
    await page.fill('#new-password', CAROL.password);
    await page.click('#set-password');
    assert.match(await page.locator('#notice').textContent() ?? '', /reset/);
    await mail('Your password was reset');
    assert.equal((await page.goto(link!))?.status(), 400, 'the link works once');
    await browser.page.goto(`${base}/-/ui/account`);
    assert.match(browser.page.url(), /\/-\/ui\/sign-in/, 'the first browser was signed out by the reset');
  });

  test('AUTHN-1d: changing the password on the security page sends mail', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/sign-in`);
    await page.click('#passkey-sign-in');
    await page.waitForURL(/\/-\/ui\/account$/);
    await page.goto(`${base}/-/ui/account/security`);
    await page.fill('#current-password', CAROL.password);
    CAROL.password = 'a third private passphrase 3';
    await page.fill('#new-password', CAROL.password);
    await page.click('#change-password-button');
    assert.match(await page.locator('#notice').textContent() ?? '', /password was changed/);
    await mail('Your password was changed');
  });

  test('AUTHN-1a, AUTHN-1d: an email change waits for the link mailed to the new address; then both addresses get mail', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/account/security`);
    assert.equal(await page.locator('#current-email').textContent(), CAROL.email);
    await page.fill('#new-email', CAROL_NEW_EMAIL);
    await page.fill('#email-password', CAROL.password);
    await page.click('#change-email-button');
    assert.match(await page.locator('#notice').textContent() ?? '', /We sent a confirmation link/);
    assert.equal(await page.locator('#current-email').textContent(), CAROL.email, 'unchanged until the link is opened');
    const link = SmtpSink.linkIn(await sink.waitForMail(CAROL_NEW_EMAIL, 'Confirm your new email address', 15_000));
    assert.ok(link?.startsWith(`${base}/-/ui/account/email/confirm?t=`), String(link));
    await page.goto(link!);
    assert.match(page.url(), /notice=email-changed/);
    assert.equal(await page.locator('#current-email').textContent(), CAROL_NEW_EMAIL);
    const toOld = await sink.waitForMail(CAROL.email, 'Your email address was changed', 15_000);
    assert.ok(toOld.text.includes(CAROL_NEW_EMAIL), 'the old address is told where mail goes now');
    await sink.waitForMail(CAROL_NEW_EMAIL, 'This is now your account\'s email address', 15_000);
    assert.equal((await page.goto(link!))?.status(), 400, 'the link works once');
    CAROL.email = CAROL_NEW_EMAIL;
  });

  test('AUTHN-1d: removing a security key and making new recovery codes each send mail', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/account/security`);
    const usbKey = await page.locator('#remove-credential-id option', { hasText: 'usb key' }).getAttribute('value');
    await page.selectOption('#remove-credential-id', usbKey!);
    // A factor is removed only with the current password (a session left open is not enough).
    await page.fill('#remove-credential-password', 'not the password');
    await page.click('#remove-credential-button');
    assert.match(await page.locator('#error').textContent() ?? '', /current password is not correct/);
    assert.equal(await page.locator('#credentials tbody tr').count(), 2, 'nothing was removed');
    await page.selectOption('#remove-credential-id', usbKey!);
    await page.fill('#remove-credential-password', CAROL.password);
    await page.click('#remove-credential-button');
    assert.match(await page.locator('#notice').textContent() ?? '', /removed/);
    assert.equal(await page.locator('#credentials tbody tr').count(), 1);
    await sink.waitFor((m) => m.to.includes(CAROL.email) && m.subject.includes('A second factor was removed') && m.text.includes('usb key'), 15_000);
    const regenerated = () => sink.messages.filter((m) => m.to.includes(CAROL.email) && m.subject.includes('New recovery codes were generated')).length;
    const before = regenerated();
    await page.click('#regenerate-codes');
    const fresh = await page.locator('#recovery-codes li').allTextContents();
    assert.equal(fresh.length, 10);
    assert.ok(!fresh.includes(recoveryCodes[1]!), 'new codes replace the old ones');
    await sink.waitFor(() => regenerated() > before, 15_000);
  });

  test('AUTHN-1e: the security log shows each event of these flows', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/account/security`);
    const kinds = new Set(await page.locator('#security-log tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind'))));
    for (const kind of ['sign-in', 'totp-added', 'recovery-codes-generated', 'second-factor-failed', 'webauthn-added', 'recovery-code-used',
      'sign-in-new-device', 'password-reset-requested', 'password-reset', 'password-changed', 'webauthn-removed', 'password-failed',
      'email-change-requested', 'email-changed']) {
      assert.ok(kinds.has(kind), `the log shows ${kind}; it has ${[...kinds].join(', ')}`);
    }
    assert.deepEqual(browser.problems, [], 'no console errors or CSP violations');
  });

  test('AUTHN-2d: a breached password at sign-in forces a change before any session, with mail', async () => {
    const page = await newBrowserPage();
    await signInWithPassword(page, 'bob', LEAKED);
    assert.match(page.url(), /\/-\/ui\/sign-in\/new-password/);
    await sink.waitForMail('bob@example.test', 'Your password appears in a data breach', 15_000);
    assert.equal(await page.locator('#account-link').count(), 0, 'not signed in yet');
    await page.fill('#new-password', 'bob chose a fresh passphrase');
    await page.click('#set-password');
    assert.match(page.url(), /\/-\/ui\/account$/);
    await sink.waitForMail('bob@example.test', 'Your password was changed', 15_000);
  });

  test('AUTHN-1c: npm login --auth-type=web is completed in the browser with password and TOTP', async () => {
    const sandbox = await ClientSandbox.create({ registry: proxy.url });
    sandboxes.push(sandbox);
    const { running, loginUrl } = await startWebLogin(sandbox);
    const page = await newBrowserPage();
    await page.goto(loginUrl);
    await page.fill('#username', CAROL.name);
    await page.fill('#password', CAROL.password);
    await page.click('#sign-in');
    assert.match(page.url(), /\/-\/ui\/sign-in\/second-factor/);
    await page.fill('#code', await codes.next());
    await page.click('#verify-totp');
    assert.equal(page.url(), loginUrl);
    await page.click('#allow-npm');
    assert.match(await page.locator('#done').textContent() ?? '', /Return to your terminal/);
    const r = await running;
    assertOk(r, 'npm login (web)');
    assert.ok(r.stdout.includes(loginUrl) || r.stderr.includes(loginUrl), 'npm printed the login URL');
    const who = await sandbox.npm(['whoami']);
    assertOk(who, 'npm whoami');
    assert.equal(who.stdout.trim(), 'carol');
    carolNpm = sandbox;
  });

  test('AUTHN-3a: npm login --auth-type=web is completed in the browser with a passkey alone', async () => {
    const sandbox = await ClientSandbox.create({ registry: proxy.url });
    sandboxes.push(sandbox);
    const { running, loginUrl } = await startWebLogin(sandbox);
    // The first browser holds the passkey authenticator; sign it out so the login page asks.
    const { page } = browser;
    await page.goto(`${base}/-/ui/account`);
    await page.click('#sign-out');
    await page.goto(loginUrl);
    await page.click('#passkey-sign-in');
    await page.waitForURL(loginUrl);
    await page.click('#allow-npm');
    assert.match(await page.locator('#done').textContent() ?? '', /Return to your terminal/);
    assertOk(await running, 'npm login (web, passkey)');
    const who = await sandbox.npm(['whoami']);
    assertOk(who, 'npm whoami');
    assert.equal(who.stdout.trim(), 'carol');
  });

  test('AUTHN-3c, AUTHN-2b: a publish of a critical package is approved only by a security key, through npm\'s web OTP flow', { skip: ptyAvailable() ? false : '`script` (util-linux) is not installed, no pty available' }, async () => {
    assert.ok(carolNpm, 'the npm login test signed carol in');
    const npm = carolNpm!;
    assertOk(await npm.npm(['publish', `--otp=${await codes.next()}`], { cwd: await writePackageDir({ name: 'carol-core', version: '1.0.0' }) }), 'first publish with TOTP');
    const set = await env.reg.cli(['admin', 'packages', 'set', 'carol-core', '--critical']);
    assert.equal(set.code, 0, set.stderr);
    const dir = await writePackageDir({ name: 'carol-core', version: '1.0.1' });
    const byTotp = await npm.npm(['publish', `--otp=${await codes.next()}`], { cwd: dir });
    assertFailed(byTotp, 'a TOTP code for a critical package');
    assert.match(out(byTotp), /E_PHISHING_RESISTANT_REQUIRED/);

    // Under a terminal npm follows the 401's authUrl/doneUrl: it prints the page and polls.
    const seen = proxy.find('PUT', /\/carol-core$/).length;
    const running = runInPty('npm', ['publish', '--browser=false'], { cwd: dir, env: npm.env(), timeoutMs: 120_000 });
    let authUrl = '';
    for (let i = 0; i < 600 && !authUrl; i++) {
      const challenge = proxy.find('PUT', /\/carol-core$/).slice(seen).find((x) => x.status === 401 && x.responseBody);
      const raw = challenge?.responseBody;
      const body = raw ? JSON.parse((challenge!.responseHeaders?.['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as { authUrl?: string; doneUrl?: string } : undefined;
      if (body?.authUrl && body.doneUrl) authUrl = body.authUrl;
      else await sleep(100);
    }
    assert.ok(authUrl.startsWith(`${base}/-/ui/approve/`), `the challenge carried authUrl: ${authUrl}`);
    // The approval is made with a (roaming, non-discoverable) security key: the laptop's passkey
    // authenticator is unplugged, a USB key is plugged in and added to the account.
    const { page } = browser;
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: platformAuthenticator });
    const usb = await virtualAuthenticator('usb');
    await page.goto(`${base}/-/ui/account/security`);
    await page.fill('#credential-name', 'release key');
    await page.click('#add-security-key');
    await page.waitForURL(/notice=key-added/);
    const signCount = async () => ((await cdp.send('WebAuthn.getCredentials', { authenticatorId: usb })).credentials[0]?.signCount ?? -1);
    const countBefore = await signCount();
    await page.goto(authUrl);
    assert.match(await page.locator('#what').textContent() ?? '', /carol-core/);
    assert.match(await page.locator('#critical').textContent() ?? '', /only a security key or passkey/);
    assert.equal(await page.locator('#approve-totp').count(), 0, 'no TOTP form for a critical write');
    await page.click('#approve-webauthn');
    await page.waitForSelector('#approved');
    assert.ok(await signCount() > countBefore, 'the security key signed the approval');

    const r = await running;
    assert.ok(!r.timedOut, `npm publish timed out:\n${r.output}`);
    assert.equal(r.code, 0, `npm publish exit ${r.code}:\n${r.output}`);
    assert.ok(r.output.includes(authUrl), `npm printed the approval page:\n${r.output}`);
    const retried = proxy.find('PUT', /\/carol-core$/).slice(seen).at(-1);
    assert.match(String(retried?.headers['npm-otp'] ?? ''), /^bwa_/, 'npm repeated the publish with the approval code');
    assert.ok((await packument(env.reg, 'carol-core')).versions['1.0.1'], 'the approved version is published');
  });

  test('AUTHN-1b: the account recovery policy is served at a stable URL', async () => {
    const res = await fetch(`${base}/-/bulwark/policies/account-recovery`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /# Account recovery policy/);
    assert.match(text, /bulwark admin user recover NAME --reason TEXT/);
  });
});
