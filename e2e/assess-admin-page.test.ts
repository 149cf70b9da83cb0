// GEN-3a: the registry assesses itself on a schedule and shows operators the latest report (the
// checkbox grid) and the history, in real headless Chromium. Other users get 403; signed-out
// browsers go to sign-in; assess.intervalHours: 0 turns the schedule off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, spawnRegistry, totpCode, type BrowserSession, type RunningRegistry } from '@bulwark/testkit';

const ADMIN_PASSWORD = 'Operator-Password-123456';
const USER_PASSWORD = 'Plain-User-Password-123456';

async function signIn(session: BrowserSession, reg: RunningRegistry, user: string, password: string, next: string): Promise<void> {
  await session.page.goto(reg.urlOf(next));
  assert.match(session.page.url(), /\/-\/ui\/sign-in\?next=/, 'a signed-out browser is sent to sign in');
  await session.page.fill('#username', user);
  await session.page.fill('#password', password);
  await session.page.click('#sign-in');
  // testkit users have TOTP (MFA is on by default): the second step takes a current code.
  if (/\/-\/ui\/sign-in\/second-factor/.test(session.page.url())) {
    await session.page.fill('#code', totpCode(reg.totpUri(user)));
    await session.page.click('#verify-totp');
  }
}

describe('GEN-3a: scheduled self-assessment on the admin page', () => {
  let reg: RunningRegistry;
  before(async () => {
    reg = await spawnRegistry();
    await reg.adminUser('operator', 'operator@example.test', ADMIN_PASSWORD, { admin: true });
    await reg.adminUser('user', 'user@example.test', USER_PASSWORD);
  });
  after(async () => {
    await reg?.close();
  });

  test('GEN-3a: an operator sees the grid of the run made at start, can run another, and both are in the history', async () => {
    const session = await openBrowser();
    try {
      await signIn(session, reg, 'operator', ADMIN_PASSWORD, '-/ui/admin/assessment');
      const { page } = session;
      assert.match(page.url(), /\/-\/ui\/admin\/assessment$/);
      // The first run starts when the registry listens; it takes a moment.
      for (let i = 0; i < 30 && (await page.locator('#assessment-grid').count()) === 0; i++) {
        await new Promise((r) => setTimeout(r, 500));
        await page.reload();
      }
      const grid = page.locator('#assessment-grid');
      assert.ok(await grid.isVisible(), 'the grid is shown');
      const box = await grid.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 50);
      assert.equal(await page.locator('#assessment-grid .item').count(), 32);
      // From evidence: this registry serves a signed transparency log and the audit endpoint, and no malware-report endpoint.
      assert.match(await page.locator('#assessment-grid .item.met').allInnerTexts().then((t) => t.join(' ')), /GEN-3b/);
      assert.match(await page.locator('#assessment-items').innerText(), /CLI-2a\s+met\s+/);
      assert.match(await page.locator('#assessment-items').innerText(), /GEN-2b\s+not met/);
      const before = await page.locator('#assessment-history tbody tr').count();
      await page.click('#run-assessment');
      assert.match(await page.locator('[role=status]').innerText(), /has run/);
      assert.equal(await page.locator('#assessment-history tbody tr').count(), before + 1);
      assert.deepEqual(session.problems, [], 'no CSP violation or script error');
    } finally {
      await session.close();
    }
  });

  test('GEN-3a: a signed-in user who is not an operator gets 403', async () => {
    const session = await openBrowser();
    try {
      await signIn(session, reg, 'user', USER_PASSWORD, '-/ui/admin/assessment');
      const response = await session.page.goto(reg.urlOf('-/ui/admin/assessment'));
      assert.equal(response?.status(), 403);
      assert.equal(await session.page.locator('#assessment-grid').count(), 0);
    } finally {
      await session.close();
    }
  });

  test('GEN-3a: assess.intervalHours 0 turns the schedule off', async () => {
    const off = await spawnRegistry({ config: { assess: { intervalHours: 0 } } });
    const session = await openBrowser();
    try {
      await off.adminUser('operator', 'operator@example.test', ADMIN_PASSWORD, { admin: true });
      await new Promise((r) => setTimeout(r, 1500));
      await signIn(session, off, 'operator', ADMIN_PASSWORD, '-/ui/admin/assessment');
      assert.ok(await session.page.locator('#no-assessment').isVisible(), 'no run happened at start');
      assert.match(await session.page.locator('main').innerText(), /on demand only/);
    } finally {
      await session.close();
      await off.close();
    }
  });
});
