// AUTHZ-2a through the real npm CLI: npm org, npm team, npm access and npm owner against an
// organization, and the separation of people management from publishing as npm prints it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, writePackageDir } from '@bulwark/testkit';
import { assertFailed, assertOk, out, seed, startRegistry, type TestRegistry } from './support.js';

describe('npm org / team / access / owner (AUTHZ-2a)', () => {
  let env: TestRegistry;
  const npm: Record<string, ClientSandbox> = {};

  before(async () => {
    env = await startRegistry(['olive', 'adam', 'dana', 'walt']);
    const created = await env.reg.cli(['admin', 'org', 'create', 'acme', '--owner', 'olive']);
    assert.equal(created.code, 0, created.stderr);
    for (const name of Object.keys(env.users)) npm[name] = await ClientSandbox.create({ registry: env.reg.url, token: env.users[name]!.token });
    await seed(env.reg, env.users.olive!.token, { name: '@acme/core', version: '1.0.0', access: 'public' });
  });

  after(async () => {
    for (const sandbox of Object.values(npm)) await sandbox.close();
    await env?.close();
  });

  test('AUTHZ-2a: npm org set / ls manage members and their roles', async () => {
    assertOk(await npm.olive!.npm(['org', 'set', 'acme', 'adam', 'admin']), 'org set admin');
    assertOk(await npm.olive!.npm(['org', 'set', 'acme', 'dana']), 'org set developer (npm\'s default role)');
    const ls = await npm.dana!.npm(['org', 'ls', 'acme', '--json']);
    assertOk(ls, 'org ls');
    assert.deepEqual(JSON.parse(ls.stdout), { adam: 'admin', dana: 'developer', olive: 'owner' });
    const outsider = await npm.walt!.npm(['org', 'ls', 'acme']);
    assertFailed(outsider, 'an outsider lists the org');
  });

  test('AUTHZ-2a: an admin builds teams and grants access, but cannot publish', async () => {
    assertOk(await npm.adam!.npm(['team', 'create', 'acme:devs']), 'team create');
    assertOk(await npm.adam!.npm(['team', 'add', 'acme:devs', 'dana']), 'team add');
    assertOk(await npm.adam!.npm(['access', 'grant', 'read-write', 'acme:devs', '@acme/core']), 'access grant');
    const members = await npm.dana!.npm(['team', 'ls', 'acme:devs', '--json']);
    assertOk(members, 'team ls');
    assert.deepEqual(JSON.parse(members.stdout), ['dana']);
    const packages = await npm.dana!.npm(['access', 'list', 'packages', 'acme:devs', '--json']);
    assertOk(packages, 'access list packages');
    assert.deepEqual(JSON.parse(packages.stdout), { '@acme/core': 'read-write' });

    const dir = await writePackageDir({ name: '@acme/core', version: '1.1.0' });
    const refused = await npm.adam!.npm(['publish', '--access', 'public'], { cwd: dir });
    assertFailed(refused, 'an admin publishes');
    assert.match(out(refused), /Admins of the @acme organization manage people and teams; they do not publish/);
  });

  test('AUTHZ-2a: a team member publishes, but cannot change who may publish', async () => {
    const dir = await writePackageDir({ name: '@acme/core', version: '1.2.0' });
    assertOk(await npm.dana!.npm(['publish', '--access', 'public'], { cwd: dir }), 'a read-write team member publishes');
    const owner = await npm.dana!.npm(['owner', 'add', 'walt', '@acme/core']);
    assertFailed(owner, 'a publisher adds an owner');
    assert.match(out(owner), /Only owners and admins of the @acme organization/);
    const collaborators = await npm.olive!.npm(['access', 'list', 'collaborators', '@acme/core', '--json']);
    assertOk(collaborators, 'access list collaborators');
    assert.deepEqual(JSON.parse(collaborators.stdout), { dana: 'read-write', olive: 'read-write' });
  });

  test('AUTHZ-2a: an outsider cannot publish into the org scope', async () => {
    const dir = await writePackageDir({ name: '@acme/sneaky', version: '1.0.0' });
    const refused = await npm.walt!.npm(['publish', '--access', 'public'], { cwd: dir });
    assertFailed(refused, 'an outsider publishes into @acme');
    assert.match(out(refused), /belongs to the acme organization/);
  });
});
