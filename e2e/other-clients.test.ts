// pnpm and yarn (berry) install a published package with dependencies from Bulwark.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, runProcess } from '@bulwark/testkit';
import { assertOk, seed, startRegistry, type Seeded, type TestRegistry } from './support.js';

describe('other clients: pnpm and yarn berry', () => {
  let env: TestRegistry;
  let client: ClientSandbox;
  const seeded: Record<string, Seeded> = {};

  before(async () => {
    env = await startRegistry(['alice']);
    const t = env.users.alice!.token;
    for (const s of [
      await seed(env.reg, t, { name: 'multi-leaf', version: '1.0.0' }),
      await seed(env.reg, t, { name: '@multi/scoped', version: '2.1.0', access: 'public' }),
      await seed(env.reg, t, { name: 'multi-dep', version: '1.0.0', dependencies: { 'multi-leaf': '^1.0.0' } }),
      await seed(env.reg, t, { name: 'multi-main', version: '1.0.0', dependencies: { 'multi-dep': '^1.0.0', '@multi/scoped': '^2.0.0' } }),
    ]) seeded[s.name] = s;
    client = await ClientSandbox.create({ registry: env.reg.url, token: t });
  });

  after(async () => {
    await client?.close();
    await env?.close();
  });

  const requireCheck = `const m = require('multi-main'); console.log([m.name, m.deps['multi-dep'].name, m.deps['multi-dep'].deps['multi-leaf'].name, m.deps['@multi/scoped'].version].join(' '))`;

  test('pnpm add, then pnpm install from the lockfile, install a package with dependencies; lockfile integrity = stored sha512', async () => {
    const project = await client.project();
    const r = await client.pnpm(['add', 'multi-main'], { cwd: project });
    assertOk(r, 'pnpm add multi-main');
    const run = await runProcess(process.execPath, ['-e', requireCheck], { cwd: project });
    assertOk(run, 'require after pnpm');
    assert.equal(run.stdout.trim(), 'multi-main multi-dep multi-leaf 2.1.0');
    const lock = await readFile(join(project, 'pnpm-lock.yaml'), 'utf8');
    for (const s of Object.values(seeded)) {
      assert.ok(lock.includes(`integrity: ${s.integrity}`), `pnpm-lock.yaml has ${s.name}'s integrity ${s.integrity}:\n${lock}`);
    }

    // Then a plain `pnpm install` from the lockfile, with an empty store and no node_modules.
    await rm(join(project, 'node_modules'), { recursive: true, force: true });
    await rm(join(client.root, 'pnpm-store'), { recursive: true, force: true });
    const again = await client.pnpm(['install', '--frozen-lockfile'], { cwd: project });
    assertOk(again, 'pnpm install --frozen-lockfile');
    const run2 = await runProcess(process.execPath, ['-e', requireCheck], { cwd: project });
    assertOk(run2, 'require after pnpm install');
    assert.equal(run2.stdout.trim(), 'multi-main multi-dep multi-leaf 2.1.0');
  });

  test('yarn (berry) add, then yarn install from the lockfile, install a package with dependencies', async () => {
    const project = await client.project();
    await client.writeYarnrc(project);
    await writeFile(join(project, 'yarn.lock'), '');
    const r = await client.yarn(['add', 'multi-main'], { cwd: project });
    assertOk(r, 'yarn add multi-main');
    const run = await runProcess(process.execPath, ['-e', requireCheck], { cwd: project });
    assertOk(run, 'require after yarn');
    assert.equal(run.stdout.trim(), 'multi-main multi-dep multi-leaf 2.1.0');
    const lock = await readFile(join(project, 'yarn.lock'), 'utf8');
    for (const s of Object.values(seeded)) {
      assert.ok(lock.includes(`resolution: "${s.name}@npm:${s.version}"`), `yarn.lock resolves ${s.name}@${s.version}:\n${lock}`);
    }

    // Then a plain `yarn install` (immutable lockfile) with an empty cache and no node_modules.
    await rm(join(project, 'node_modules'), { recursive: true, force: true });
    await rm(join(client.root, 'yarn-cache'), { recursive: true, force: true });
    const again = await client.yarn(['install', '--immutable'], { cwd: project });
    assertOk(again, 'yarn install --immutable');
    const run2 = await runProcess(process.execPath, ['-e', requireCheck], { cwd: project });
    assertOk(run2, 'require after yarn install');
    assert.equal(run2.stdout.trim(), 'multi-main multi-dep multi-leaf 2.1.0');
  });
});
