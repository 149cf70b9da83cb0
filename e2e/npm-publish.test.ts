// npm compatibility plan (npm-registry-api.md §9): items 5, 6, 7, 13, 14, 15, 16, 22, 23.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ClientSandbox, fetchBytes, integrityOf, putPackage, publishBody, startFaultProxy, tarballPath, writePackageDir,
  type FaultProxy,
} from '@bulwark/testkit';
import { distTagScenario, publishScenario } from './scenarios.js';
import { assertFailed, assertOk, out, packument, seed, startRegistry, type TestRegistry } from './support.js';

describe('npm compat: publishing and package management', () => {
  let env: TestRegistry;
  let proxy: FaultProxy;
  let alice: ClientSandbox;

  before(async () => {
    env = await startRegistry(['alice', 'bob']);
    proxy = await startFaultProxy({ target: env.reg.url });
    alice = await ClientSandbox.create({ registry: proxy.url, token: env.users.alice!.token });
  });

  after(async () => {
    await alice?.close();
    await proxy?.close();
    await env?.close();
  });

  test('npm compat 5: publish unscoped', async () => {
    await publishScenario(env.reg, proxy, alice, 'compat-unscoped', 'alice');
  });

  test('npm compat 5: publish scoped with --access public', async () => {
    await publishScenario(env.reg, proxy, alice, '@acme/widget', 'alice', 'public');
  });

  test('npm compat 6: publishing the same version again fails with the registry error', async () => {
    const name = 'compat-republish';
    const first = await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    const dir = await writePackageDir({ name, version: '1.0.0', indexJs: 'module.exports = "different bytes";\n' }, join(alice.root, 'src', name));

    const local = await alice.npm(['publish'], { cwd: dir });
    assertFailed(local, 'npm publish of an existing version');
    assert.match(out(local), /cannot publish over|previously published/i);

    proxy.clearExchanges();
    const forced = await alice.npm(['publish', '--force'], { cwd: dir });
    assertFailed(forced, 'npm publish --force of an existing version');
    const put = proxy.find('PUT', `/${name}`).at(-1);
    assert.ok(put, 'with --force npm sent the PUT');
    assert.ok(put.status === 403 || put.status === 409, `the registry answered 403/409, got ${put.status}`);
    const error = (JSON.parse(put.responseBody!.toString('utf8')) as { error?: string }).error;
    assert.ok(error, `the refusal has an error field: ${put.responseBody?.toString()}`);
    assert.match(error, /E_VERSION_EXISTS|cannot publish over/i);
    assert.ok(forced.stderr.includes(error), `npm shows the registry's error text "${error}":\n${forced.stderr}`);

    const doc = await packument(env.reg, name);
    assert.deepEqual(Object.keys(doc.versions), ['1.0.0']);
    assert.equal(doc.versions['1.0.0']!.dist.integrity, first.integrity, 'the stored version is unchanged');
    const served = await fetchBytes(doc.versions['1.0.0']!.dist.tarball);
    assert.ok(served.bytes.equals(first.tarball), 'the served tarball is the original');
  });

  test('npm compat 7: npm view shows dist-tags, tarball, integrity, maintainers and publish time', async () => {
    const name = 'compat-view';
    const s = await seed(env.reg, env.users.alice!.token, { name, version: '1.2.3', packageJson: { keywords: ['viewing'] } });
    const r = await alice.npm(['view', name]);
    assertOk(r, 'npm view');
    const text = r.stdout;
    assert.match(text, new RegExp(`${name}@1\\.2\\.3`));
    assert.match(text, /dist-tags:\s*\n\s*latest: 1\.2\.3/);
    assert.ok(text.includes(`.tarball: ${proxy.url}${tarballPath(name, '1.2.3')}`), `tarball URL shown:\n${text}`);
    assert.ok(text.includes(`.integrity: ${s.integrity}`), `integrity shown:\n${text}`);
    assert.match(text, /maintainers:\s*\n\s*- alice <alice@example\.test>/);
    assert.match(text, /published .* by alice <alice@example\.test>/);

    const scoped = await seed(env.reg, env.users.alice!.token, { name: '@acme/viewed', version: '2.0.0', access: 'public' });
    const v = await alice.npm(['view', scoped.name, 'version']);
    assertOk(v, 'npm view @acme/viewed version');
    assert.equal(v.stdout.trim(), '2.0.0');
  });

  test('npm compat 13: npm dist-tag add / ls / rm', async () => {
    const name = 'compat-tags';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.1' });
    await distTagScenario(env.reg, alice, name);
  });

  test('npm compat 14: npm deprecate warns on install, npm undeprecate removes the warning', async () => {
    const name = 'compat-deprecate';
    const msg = 'use compat-other instead';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    const dep = await alice.npm(['deprecate', `${name}@1.0.0`, msg]);
    assertOk(dep, 'npm deprecate');
    assert.equal((await packument(env.reg, name)).versions['1.0.0']!.deprecated, msg);

    const p1 = await alice.project();
    const i1 = await alice.npm(['install', `${name}@1.0.0`, '--prefer-online'], { cwd: p1 });
    assertOk(i1, 'install of a deprecated version');
    assert.ok(i1.stderr.includes(`deprecated ${name}@1.0.0: ${msg}`), `install warns "deprecated":\n${i1.stderr}`);

    const und = await alice.npm(['undeprecate', `${name}@1.0.0`]);
    assertOk(und, 'npm undeprecate');
    const v = (await packument(env.reg, name)).versions['1.0.0']!;
    assert.equal('deprecated' in v ? v.deprecated : undefined, undefined, `deprecated "" means remove: ${JSON.stringify(v.deprecated)}`);

    await alice.clearCache();
    const p2 = await alice.project();
    const i2 = await alice.npm(['install', `${name}@1.0.0`, '--prefer-online'], { cwd: p2 });
    assertOk(i2, 'install after undeprecate');
    assert.equal(/deprecated/i.test(i2.stderr), false, `no deprecation warning any more:\n${i2.stderr}`);
  });

  test('npm compat 15: npm owner add / ls / rm', async () => {
    const name = 'compat-owner';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    const add = await alice.npm(['owner', 'add', 'bob', name]);
    assertOk(add, 'npm owner add');
    assert.ok(add.stdout.includes(`+ bob (${name})`), `owner add output:\n${add.stdout}`);

    const ls = await alice.npm(['owner', 'ls', name]);
    assertOk(ls, 'npm owner ls');
    const owners = ls.stdout.trim().split('\n').map((l) => l.trim()).sort();
    assert.deepEqual(owners, ['alice <alice@example.test>', 'bob <bob@example.test>']);

    // bob, now a maintainer, may publish a new version.
    const asBob = publishBody({ name, version: '1.0.1', registryUrl: env.reg.url });
    const pubBob = await putPackage(env.reg.url, name, asBob.body, env.users.bob!.token);
    assert.ok(pubBob.status >= 200 && pubBob.status < 300, `bob publishes as a maintainer: ${pubBob.status} ${pubBob.text}`);

    const rm = await alice.npm(['owner', 'rm', 'bob', name]);
    assertOk(rm, 'npm owner rm');
    assert.ok(rm.stdout.includes(`- bob (${name})`), `owner rm output:\n${rm.stdout}`);
    const ls2 = await alice.npm(['owner', 'ls', name]);
    assertOk(ls2, 'npm owner ls after rm');
    assert.deepEqual(ls2.stdout.trim().split('\n').map((l) => l.trim()), ['alice <alice@example.test>']);

    const again = publishBody({ name, version: '1.0.2', registryUrl: env.reg.url });
    const refused = await putPackage(env.reg.url, name, again.body, env.users.bob!.token);
    assert.equal(refused.status, 403, `bob, no longer a maintainer, is refused: ${refused.status} ${refused.text}`);
  });

  test('npm compat 16: npm unpublish of a version another package depends on is refused (GEN-2a policy) and the version is still served', async () => {
    const name = 'compat-unpublish';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    const v101 = await seed(env.reg, env.users.alice!.token, { name, version: '1.0.1' });
    await seed(env.reg, env.users.bob!.token, { name: 'compat-unpublish-user', version: '1.0.0', dependencies: { [name]: '^1.0.0' } });

    proxy.clearExchanges();
    const one = await alice.npm(['unpublish', `${name}@1.0.1`]);
    assertFailed(one, 'npm unpublish name@1.0.1');
    assert.match(out(one), /depends on it/i, 'npm shows the registry naming the dependents');
    const refusal = proxy.exchanges.find((e) => (e.method === 'PUT' || e.method === 'DELETE') && e.status === 403);
    assert.ok(refusal, `the registry refused the unpublish write with 403: ${proxy.exchanges.map((e) => `${e.method} ${e.url} ${e.status}`).join(', ')}`);
    assert.match(String((JSON.parse(refusal.responseBody!.toString('utf8')) as { error?: string }).error), /compat-unpublish-user.*E_UNPUBLISH_FORBIDDEN/);

    const all = await alice.npm(['unpublish', name, '--force']);
    assertFailed(all, 'npm unpublish name --force');
    assert.match(out(all), /depends on it/i);

    const doc = await packument(env.reg, name);
    assert.deepEqual(Object.keys(doc.versions).sort(), ['1.0.0', '1.0.1']);
    assert.equal(doc['dist-tags'].latest, '1.0.1');
    const tgz = await fetchBytes(doc.versions['1.0.1']!.dist.tarball);
    assert.equal(tgz.status, 200);
    assert.equal(integrityOf(tgz.bytes), v101.integrity, 'the tarball is still served intact');
  });

  test('npm compat 22: npm star / stars / unstar', async () => {
    const name = 'compat-star';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    const star = await alice.npm(['star', name]);
    assertOk(star, 'npm star');
    assert.match(star.stdout, new RegExp(`(★|\\(\\*\\))\\s+${name}`));
    assert.equal((await packument(env.reg, name)).users?.alice, true, 'the full doc lists alice in users');

    const stars = await alice.npm(['stars']);
    assertOk(stars, 'npm stars');
    assert.ok(stars.stdout.split('\n').map((l) => l.trim()).includes(name), `npm stars lists ${name}:\n${stars.stdout}`);

    const unstar = await alice.npm(['unstar', name]);
    assertOk(unstar, 'npm unstar');
    assert.match(unstar.stdout, new RegExp(`(☆|\\( \\))\\s+${name}`));
    assert.equal((await packument(env.reg, name)).users?.alice, undefined);
    const stars2 = await alice.npm(['stars']);
    assert.equal(stars2.stdout.split('\n').map((l) => l.trim()).includes(name), false, `unstarred package gone from stars:\n${out(stars2)}`);
  });

  test('npm compat 23: npm search --json, and --searchlimit=1 sends size=1', async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'findme-alpha', version: '1.0.0', description: 'findme search target alpha', packageJson: { keywords: ['findme'] } });
    await seed(env.reg, env.users.alice!.token, { name: 'findme-beta', version: '1.0.0', description: 'findme search target beta', packageJson: { keywords: ['findme'] } });
    const r = await alice.npm(['search', 'findme', '--json']);
    assertOk(r, 'npm search --json');
    const results = JSON.parse(r.stdout) as Array<{ name: string; version: string; maintainers?: Array<{ username: string }>; date?: string }>;
    assert.ok(Array.isArray(results));
    const names = results.map((x) => x.name).sort();
    assert.ok(names.includes('findme-alpha') && names.includes('findme-beta'), `both packages found: ${names.join(', ')}`);
    for (const x of results.filter((y) => y.name.startsWith('findme-'))) {
      assert.ok(Array.isArray(x.maintainers) && x.maintainers.some((m) => m.username === 'alice'), `maintainers of ${x.name}: ${JSON.stringify(x.maintainers)}`);
      assert.equal(x.version, '1.0.0');
    }

    proxy.clearExchanges();
    const one = await alice.npm(['search', 'findme', '--json', '--searchlimit=1']);
    assertOk(one, 'npm search --searchlimit=1');
    const req = proxy.find('GET', /\/-\/v1\/search$/).at(-1);
    assert.ok(req, 'npm called /-/v1/search');
    assert.equal(new URL(req.url, 'http://x').searchParams.get('size'), '1');
    assert.equal((JSON.parse(one.stdout) as unknown[]).length, 1, `one result:\n${one.stdout}`);
  });

});
