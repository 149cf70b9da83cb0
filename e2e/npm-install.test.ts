// npm compatibility plan (npm-registry-api.md §9): items 8, 9, 10, 11, 12.
import assert from 'node:assert/strict';
import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  blobPath, ClientSandbox, startFaultProxy,
  type FaultProxy,
} from '@bulwark/testkit';
import { installScenario, writeJson } from './scenarios.js';
import { assertFailed, assertOk, installedTree, out, readLockfile, seed, startRegistry, type TestRegistry } from './support.js';

describe('npm compat: installing', () => {
  let env: TestRegistry;
  let proxy: FaultProxy;
  let direct: ClientSandbox;
  let viaProxy: ClientSandbox;

  before(async () => {
    env = await startRegistry(['alice']);
    const t = env.users.alice!.token;
    await seed(env.reg, t, { name: 'inst-dep', version: '1.0.0' });
    await seed(env.reg, t, { name: 'inst-dep', version: '1.1.0' });
    await seed(env.reg, t, { name: '@inst/util', version: '1.0.0', access: 'public' });
    await seed(env.reg, t, { name: 'inst-main', version: '1.0.0', dependencies: { 'inst-dep': '^1.0.0', '@inst/util': '^1.0.0' } });
    proxy = await startFaultProxy({ target: env.reg.url });
    direct = await ClientSandbox.create({ registry: env.reg.url, token: t });
    viaProxy = await ClientSandbox.create({ registry: proxy.url, token: t });
  });

  after(async () => {
    await direct?.close();
    await viaProxy?.close();
    await proxy?.close();
    await env?.close();
  });

  let lockedProject = '';

  test('npm compat 8: npm install then npm ci from an empty cache install the same tree', async () => {
    lockedProject = await installScenario(env.reg, direct, 'inst-main');
    const tree = await installedTree(lockedProject);
    assert.deepEqual(tree, ['@inst/util@1.0.0', 'inst-dep@1.1.0', 'inst-main@1.0.0']);
  });

  test('npm compat 12: a lockfile with registry.npmjs.org URLs installs from the configured registry, same paths', async () => {
    assert.ok(lockedProject, 'needs the project of item 8');
    const lockPath = join(lockedProject, 'package-lock.json');
    const lock = JSON.parse(await readFile(lockPath, 'utf8')) as { packages: Record<string, { resolved?: string }> };
    const expectedPaths: string[] = [];
    for (const e of Object.values(lock.packages)) {
      if (!e.resolved) continue;
      assert.ok(e.resolved.startsWith(env.reg.url));
      const rel = e.resolved.slice(env.reg.url.length);
      e.resolved = `https://registry.npmjs.org/${rel}`;
      expectedPaths.push('/' + rel);
    }
    assert.equal(expectedPaths.length, 3);
    await writeJson(lockPath, lock);
    await rm(join(lockedProject, 'node_modules'), { recursive: true, force: true });
    await viaProxy.clearCache();
    proxy.clearExchanges();
    const ci = await viaProxy.npm(['ci'], { cwd: lockedProject });
    assertOk(ci, 'npm ci with an npmjs lockfile');
    assert.deepEqual(await installedTree(lockedProject), ['@inst/util@1.0.0', 'inst-dep@1.1.0', 'inst-main@1.0.0']);
    const fetched = proxy.exchanges.filter((e) => e.method === 'GET' && e.path.endsWith('.tgz')).map((e) => decodeURIComponent(e.path)).sort();
    assert.deepEqual(fetched, expectedPaths.map((p) => decodeURIComponent(p)).sort(), 'tarballs were fetched from the configured registry at the npmjs paths');
    assert.ok(proxy.exchanges.filter((e) => e.path.endsWith('.tgz')).every((e) => e.status === 200));
  });

  test('npm compat 9: a corrupted stored tarball makes npm ci fail with EINTEGRITY; a deleted one with E404', async (t) => {
    const s = await seed(env.reg, env.users.alice!.token, { name: 'inst-corrupt', version: '1.0.0' });
    const project = await direct.project();
    assertOk(await direct.npm(['install', 'inst-corrupt'], { cwd: project }), 'install before corruption');
    const blob = blobPath(env.reg.dataDir, s.integrity);
    const original = await readFile(blob);
    assert.ok(original.equals(s.tarball), 'stored blob is the published tarball');
    try {
      const corrupt = Buffer.from(original);
      const at = Math.floor(corrupt.length / 2);
      corrupt[at] = corrupt[at]! ^ 0xff;
      await writeFile(blob, corrupt);
      // The registry keeps recently served tarballs in memory; a restart makes it read the disk again.
      await env.reg.restart();
      await rm(join(project, 'node_modules'), { recursive: true, force: true });
      await direct.clearCache();
      const ci = await direct.npm(['ci'], { cwd: project });
      assertFailed(ci, 'npm ci with a corrupted tarball');
      // npm's own check catches the bytes (EINTEGRITY); a registry that verifies blobs on read and
      // refuses to serve them (5xx) is also acceptable: either way nothing corrupt is installed.
      assert.match(out(ci), /EINTEGRITY|E50[0-9]/, `npm reports EINTEGRITY:\n${out(ci)}`);
      t.diagnostic(`corrupted tarball: npm reported ${/EINTEGRITY|E50[0-9]/.exec(out(ci))![0]}`);
      assert.equal(existsSync(join(project, 'node_modules/inst-corrupt/package.json')), false, 'nothing corrupt was installed');

      await unlink(blob);
      await env.reg.restart();
      await rm(join(project, 'node_modules'), { recursive: true, force: true });
      await direct.clearCache();
      const ci2 = await direct.npm(['ci'], { cwd: project });
      assertFailed(ci2, 'npm ci with a deleted tarball');
      assert.match(out(ci2), /E404|404 Not Found/, `npm reports E404:\n${out(ci2)}`);
    } finally {
      await writeFile(blob, original);
      await env.reg.restart();
    }
    await rm(join(project, 'node_modules'), { recursive: true, force: true });
    await direct.clearCache();
    assertOk(await direct.npm(['ci'], { cwd: project }), 'npm ci after restoring the blob');
  });

  test('npm compat 10: two 500s on a packument are retried and the install succeeds', async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'inst-retry', version: '1.0.0' });
    proxy.clearExchanges();
    const rule = proxy.addRule({ name: '500 twice', method: 'GET', path: '/inst-retry', times: 2, respond: { status: 500, body: { error: 'injected failure' } } });
    try {
      const project = await viaProxy.project();
      const r = await viaProxy.npm(['install', 'inst-retry', '--fetch-retry-mintimeout=50', '--fetch-retry-maxtimeout=200'], { cwd: project });
      assertOk(r, 'npm install through two 500s');
      assert.equal(rule.hits, 2, 'both faults fired');
      const gets = proxy.find('GET', '/inst-retry');
      assert.ok(gets.length >= 3, `the packument was requested at least 3 times: ${gets.map((g) => g.status).join(',')}`);
      assert.equal(gets.at(-1)!.status, 200);
      assert.deepEqual(await installedTree(project), ['inst-retry@1.0.0']);
    } finally {
      rule.remove();
    }
  });

  test('npm compat 10: a 404 on the corgi packument only falls back to the full document', async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'inst-corgi', version: '1.0.0' });
    proxy.clearExchanges();
    const rule = proxy.addRule({ name: 'corgi 404', method: 'GET', path: '/inst-corgi', accept: 'application/vnd.npm.install-v1+json', respond: { status: 404, body: { error: 'Not found' } } });
    try {
      // install (full doc in npm 11.19) and pack <pkg> (corgi first) both have to work.
      const project = await viaProxy.project();
      const inst = await viaProxy.npm(['install', 'inst-corgi', '--prefer-online'], { cwd: project });
      assertOk(inst, 'npm install with corgi 404s');
      assert.deepEqual(await installedTree(project), ['inst-corgi@1.0.0']);
      await viaProxy.clearCache();
      const pack = await viaProxy.npm(['pack', 'inst-corgi'], { cwd: project });
      assertOk(pack, 'npm pack inst-corgi with corgi 404s');
      assert.ok(existsSync(join(project, 'inst-corgi-1.0.0.tgz')), 'the tarball was downloaded');
      assert.ok(rule.hits >= 1, 'a corgi request was made and answered 404');
      const gets = proxy.find('GET', '/inst-corgi');
      const full = gets.filter((g) => !String(g.headers.accept ?? '').includes('install-v1') && g.status === 200);
      assert.ok(full.length >= 1, `the full document was fetched after the corgi 404: ${gets.map((g) => `${g.headers.accept}=>${g.status}`).join(' | ')}`);
    } finally {
      rule.remove();
    }
  });

  test('npm compat 11: npm install of a nonexistent package gives E404 "could not be found"', async () => {
    const project = await direct.project();
    const r = await direct.npm(['install', 'inst-does-not-exist'], { cwd: project });
    assertFailed(r, 'npm install nonexistent');
    assert.match(r.stderr, /E404/);
    assert.match(r.stderr, /could not be found/);
    const lock = existsSync(join(project, 'package-lock.json')) ? await readLockfile(project) : undefined;
    assert.equal(lock?.packages['node_modules/inst-does-not-exist'], undefined);
  });
});
