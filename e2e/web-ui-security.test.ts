// The web UI's security panels in real headless Chromium: advisories on a version and in its
// dependency tree with the path (GEN-2d), the list badge and the advisory page, the provenance
// panel's "no provenance" state (AUTHZ-3c), and the package-name check (GEN-1b).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTempDir, openBrowser, type BrowserSession } from '@bulwark/testkit';
import { seed, startRegistry, type TestRegistry } from './support.js';

describe('web UI security panels', () => {
  let env: TestRegistry;
  let browser: BrowserSession;
  let base: string;

  before(async () => {
    // refreshSeconds 0: the running server sees the names imported below at once.
    env = await startRegistry(['alice'], { config: { names: { refreshSeconds: 0 } } });
    base = env.reg.url.replace(/\/$/, '');
    const t = env.users.alice!.token;
    await seed(env.reg, t, { name: 'wu-vuln', version: '1.0.0' });
    await seed(env.reg, t, { name: 'wu-vuln', version: '1.0.1' });
    await seed(env.reg, t, { name: 'wu-mid', version: '1.0.0', dependencies: { 'wu-vuln': '1.0.0' } });
    await seed(env.reg, t, { name: 'wu-app', version: '1.0.0', dependencies: { 'wu-mid': '^1.0.0' } });
    const dir = await makeTempDir('bulwark-osv-');
    const osv = {
      id: 'GHSA-wu00-0000-0001', aliases: ['CVE-2026-0001'], summary: 'Prototype pollution in wu-vuln', modified: '2026-11-01T00:00:00Z', published: '2026-11-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: 'wu-vuln' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    };
    await writeFile(join(dir, 'advisory.json'), JSON.stringify(osv));
    const imported = await env.reg.cli(['admin', 'advisories', 'import', join(dir, 'advisory.json')]);
    assert.equal(imported.code, 0, imported.stderr);
    await writeFile(join(dir, 'names.tsv'), 'express\t30000000\nlodash\t50000000\n');
    const names = await env.reg.cli(['admin', 'names', 'import', join(dir, 'names.tsv')]);
    assert.equal(names.code, 0, names.stderr);
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await env?.close();
  });

  test('GEN-2d: the version page warns of an advisory in the dependency tree, with the path and the version to move to', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/package/wu-app/v/1.0.0`);
    assert.equal(await page.locator('#advisories-direct-none').count(), 1, 'nothing affects wu-app itself');
    const item = page.locator('#advisories-deps li.dependency-advisory');
    assert.equal(await item.count(), 1);
    assert.deepEqual(await item.locator('ol.path > li').allTextContents(), ['wu-app@1.0.0', 'wu-mid@1.0.0', 'wu-vuln@1.0.0']);
    const text = await item.textContent() ?? '';
    assert.match(text, /GHSA-wu00-0000-0001/);
    assert.match(text, /critical/);
    assert.match(text, /upgrade to 1\.0\.1/);
    assert.ok(await page.locator('#advisories').evaluate((el) => (el as HTMLDetailsElement).open), 'the panel is open when something is found');
    assert.deepEqual(browser.problems, []);
  });

  test('GEN-2d: the affected version lists the advisory itself; the fixed one does not; the list shows a badge', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/package/wu-vuln/v/1.0.0`);
    assert.match(await page.locator('#advisories-direct').textContent() ?? '', /Prototype pollution in wu-vuln/);
    await page.goto(`${base}/-/ui/package/wu-vuln/v/1.0.1`);
    assert.equal(await page.locator('#advisories-direct-none').count(), 1);
    await page.goto(`${base}/`);
    const row = page.locator('#packages li', { hasText: 'wu-vuln' });
    assert.match(await row.locator('.advisory-badge').textContent() ?? '', /1 advisory, critical/);
    assert.equal(await page.locator('#packages li', { hasText: 'wu-mid' }).locator('.advisory-badge').count(), 0);
  });

  test('GEN-2d: the advisory page at the URL npm audit prints', async () => {
    const res = await browser.page.goto(`${base}/-/advisories/GHSA-wu00-0000-0001`);
    assert.equal(res?.status(), 200);
    assert.equal(await browser.page.locator('#severity').textContent(), 'critical');
    assert.match(await browser.page.locator('#affected').textContent() ?? '', /wu-vuln/);
    assert.equal((await browser.page.goto(`${base}/-/advisories/GHSA-none-none-none`))?.status(), 404);
  });

  test('AUTHZ-3c: a version without provenance says so plainly', async () => {
    await browser.page.goto(`${base}/-/ui/package/wu-mid/v/1.0.0`);
    assert.match(await browser.page.locator('#provenance-none').textContent() ?? '', /published without build provenance/);
  });

  test('GEN-1b: the package-name field refuses a squat before publish and names the similar package', async () => {
    const { page } = browser;
    await page.goto(`${base}/-/ui/new-package`);
    await page.fill('#name', 'expresss');
    await page.click('#check');
    assert.match(await page.locator('#verdict').textContent() ?? '', /would be refused/);
    assert.equal(await page.locator('#similar').textContent(), 'express');
    await page.fill('#name', 'my-own-fresh-name');
    await page.click('#check');
    assert.match(await page.locator('#verdict').textContent() ?? '', /is available/);
    assert.deepEqual(browser.problems, []);
  });
});
