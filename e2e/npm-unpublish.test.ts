// GEN-2a through the real npm CLI: unpublish policy, permanent tombstones, reserved names, takedown.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { existsSync } from 'node:fs';
import { ClientSandbox, blobPath, fetchBytes, getPackument, request, writePackageDir } from '@bulwark/testkit';
import { assertFailed, assertOk, out, packument, seed, startRegistry, type TestRegistry } from './support.js';

async function publishDir(client: ClientSandbox, name: string, version: string, indexJs = `module.exports = ${JSON.stringify(`${name}@${version}`)};\n`) {
  const dir = await writePackageDir({ name, version, indexJs }, join(client.root, 'src', `${name}-${version}-${Math.random().toString(36).slice(2)}`));
  return client.npm(['publish'], { cwd: dir });
}

describe('GEN-2a: npm unpublish within the 72-hour window (default policy)', () => {
  let env: TestRegistry;
  let alice: ClientSandbox;
  let bob: ClientSandbox;

  before(async () => {
    env = await startRegistry(['alice', 'bob']);
    alice = await ClientSandbox.create({ registry: env.reg.url, token: env.users.alice!.token });
    bob = await ClientSandbox.create({ registry: env.reg.url, token: env.users.bob!.token });
  });
  after(async () => {
    await alice?.close();
    await bob?.close();
    await env?.close();
  });

  test('GEN-2a: npm unpublish pkg@ver within the window succeeds and that version can never be published again', async () => {
    const name = 'gen2a-version';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.1' });
    assert.equal((await fetchBytes(env.reg.urlOf(`${name}/-/${name}-1.0.1.tgz`))).status, 200);

    const r = await alice.npm(['unpublish', `${name}@1.0.1`]);
    assertOk(r, 'npm unpublish name@1.0.1');
    assert.match(r.stdout, new RegExp(`- ${name}@1\\.0\\.1`));
    const doc = await packument(env.reg, name);
    assert.deepEqual(Object.keys(doc.versions), ['1.0.0']);
    assert.equal(doc['dist-tags'].latest, '1.0.0');
    assert.equal((await fetchBytes(env.reg.urlOf(`${name}/-/${name}-1.0.1.tgz`))).status, 404);

    const again = await publishDir(alice, name, '1.0.1', 'module.exports = "new bytes";\n');
    assertFailed(again, 'npm publish of the unpublished version by its owner');
    assert.match(out(again), /E_VERSION_TOMBSTONED/);
    assert.match(out(again), /can never be published again/);
    const next = await publishDir(alice, name, '1.0.2');
    assertOk(next, 'npm publish of a new version');
  });

  test('GEN-2a: npm unpublish of a scoped package version follows the same dance', async () => {
    const name = '@gen2a/scoped';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0', access: 'public' });
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.1', access: 'public' });
    const r = await alice.npm(['unpublish', `${name}@1.0.1`]);
    assertOk(r, 'npm unpublish @gen2a/scoped@1.0.1');
    assert.deepEqual(Object.keys((await packument(env.reg, name)).versions), ['1.0.0']);
    assert.equal((await fetchBytes(env.reg.urlOf('@gen2a/scoped/-/scoped-1.0.1.tgz'))).status, 404);
  });

  test('GEN-2a: npm unpublish --force deletes the package; nobody can republish its versions and a new owner cannot take the name', async () => {
    const name = 'gen2a-whole';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    const r = await alice.npm(['unpublish', name, '--force']);
    assertOk(r, 'npm unpublish name --force');

    const view = await alice.npm(['view', name]);
    assertFailed(view, 'npm view of a deleted package');
    assert.match(out(view), /Unpublished on \d{4}-\d{2}-\d{2}T/, 'npm view reads time.unpublished');
    const full = await getPackument(env.reg.url, name);
    assert.ok(full.json?.time && 'unpublished' in full.json.time, `the packument says so: ${full.text}`);

    for (const [who, client] of [['alice', alice], ['bob', bob]] as const) {
      const same = await publishDir(client, name, '1.0.0', `module.exports = ${JSON.stringify(who)};\n`);
      assertFailed(same, `npm publish ${name}@1.0.0 by ${who}`);
      assert.match(out(same), /E_VERSION_TOMBSTONED/, who);
    }
    const squat = await publishDir(bob, name, '2.0.0');
    assertFailed(squat, 'a new owner publishing under the deleted name');
    assert.match(out(squat), /E_NAME_DELETED/);
    assert.match(out(squat), /reserved for its former owners/);
  });
});

describe('GEN-2a: after the window (unpublish.windowHours = 0) and operator takedown', () => {
  let env: TestRegistry;
  let alice: ClientSandbox;

  before(async () => {
    env = await startRegistry(['alice', 'bob'], { config: { unpublish: { windowHours: 0 } } });
    alice = await ClientSandbox.create({ registry: env.reg.url, token: env.users.alice!.token });
  });
  after(async () => {
    await alice?.close();
    await env?.close();
  });

  test('GEN-2a: npm unpublish after 72 hours of a package others depend on is refused with the reason', async () => {
    const name = 'gen2a-core';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.1' });
    await seed(env.reg, env.users.bob!.token, { name: 'gen2a-app', version: '1.0.0', dependencies: { [name]: '^1.0.0' } });
    assertOk(await alice.npm(['owner', 'add', 'bob', name]), 'npm owner add bob (a document PUT that keeps every version)');

    const one = await alice.npm(['unpublish', `${name}@1.0.1`]);
    assertFailed(one, 'npm unpublish of a depended-on version');
    const text = out(one);
    assert.match(text, /E_UNPUBLISH_FORBIDDEN/);
    assert.match(text, /1 package depends on it \(gen2a-app\)/);
    assert.match(text, /after the 0-hour unpublish window, and it has 2 owners \(the limit is 1\)/);
    assert.match(text, /npm deprecate/);
    assert.match(text, /\/-\/bulwark\/policies\/unpublish/);
    const all = await alice.npm(['unpublish', name, '--force']);
    assertFailed(all, 'npm unpublish --force of a depended-on package');
    assert.match(out(all), /1 package depends on it/);
    assert.deepEqual(Object.keys((await packument(env.reg, name)).versions).sort(), ['1.0.0', '1.0.1']);

    const policy = await request<string>(env.reg.urlOf('-/bulwark/policies/unpublish'));
    assert.equal(policy.status, 200);
    assert.match(policy.text, /# Unpublish and deletion policy/);
  });

  test('GEN-2a: bulwark admin takedown hides the version, leaves a tombstone and a transparency-log entry', async () => {
    const name = 'gen2a-evil';
    await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    const evil = await seed(env.reg, env.users.alice!.token, { name, version: '1.0.1' });
    assert.deepEqual(Object.keys((await packument(env.reg, name)).versions).sort(), ['1.0.0', '1.0.1'], 'cached by the server');

    const down = await env.reg.cli(['admin', 'takedown', `${name}@1.0.1`, '--reason', 'malware: exfiltrates tokens', '--operator', 'ops-carol']);
    assert.equal(down.code, 0, down.stderr);
    // The CLI is another process: the server learns of the change from the log (about a second).
    let versions: string[] = [];
    for (let i = 0; i < 50; i++) {
      versions = Object.keys((await packument(env.reg, name)).versions);
      if (!versions.includes('1.0.1')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(versions, ['1.0.0'], 'the taken-down version left the packument');
    assert.equal((await fetchBytes(env.reg.urlOf(`${name}/-/${name}-1.0.1.tgz`))).status, 404);

    const log = await request<{ entries: Array<Record<string, unknown>> }>(env.reg.urlOf('-/tlog/entries?since=0&limit=1000'));
    const entry = log.json?.entries.find((e) => e.type === 'taken-down' && e.name === name);
    assert.deepEqual(entry && { version: entry.version, reason: entry.reason, actor: entry.actor }, { version: '1.0.1', reason: 'malware: exfiltrates tokens', actor: 'ops-carol' });

    const list = await env.reg.cli(['admin', 'takedown', name, '--list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${name}@1\\.0\\.1\\ttaken-down\\t.*\\tops-carol\\t${evil.integrity.replace(/[+/]/g, '\\$&')}\\tmalware: exfiltrates tokens`));

    const again = await publishDir(alice, name, '1.0.1', 'module.exports = "clean now";\n');
    assertFailed(again, 'npm publish of a taken-down version');
    assert.match(out(again), /E_VERSION_TOMBSTONED/);
    assert.match(out(again), /taken down by the registry operators/);
  });

  test('GEN-2a: a whole-package takedown with --purge-blobs blocks the name for its former owners until bulwark admin names release', async () => {
    const name = 'gen2a-purge';
    const seeded = await seed(env.reg, env.users.alice!.token, { name, version: '1.0.0' });
    assert.ok(existsSync(blobPath(env.reg.dataDir, seeded.integrity)));
    const down = await env.reg.cli(['admin', 'takedown', name, '--reason', 'legal: court order 42', '--purge-blobs']);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(existsSync(blobPath(env.reg.dataDir, seeded.integrity)), false, 'the tarball blob was purged');

    const former = await publishDir(alice, name, '2.0.0');
    assertFailed(former, 'the former owner publishing under a taken-down name');
    assert.match(out(former), /E_NAME_DELETED/);
    assert.match(out(former), /taken down by the registry operators/);

    const release = await env.reg.cli(['admin', 'names', 'release', name]);
    assert.equal(release.code, 0, release.stderr);
    const bob = await ClientSandbox.create({ registry: env.reg.url, token: env.users.bob!.token });
    try {
      const old = await publishDir(bob, name, '1.0.0');
      assertFailed(old, 'the taken-down version stays tombstoned after the release');
      assert.match(out(old), /E_VERSION_TOMBSTONED/);
      const reused = await publishDir(bob, name, '3.0.0');
      assertOk(reused, 'anyone may publish new versions under a released name');
    } finally {
      await bob.close();
    }
  });
});
