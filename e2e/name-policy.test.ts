// GEN-1b through the real npm CLI and the real bulwark CLI: a squat is refused with the similar
// name in npm's output; the availability endpoint and `bulwark name check` agree with publish.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, cleanEnv, repoRoot, runProcess, sharedFixturesDir, writePackageDir } from '@bulwark/testkit';
import { assertFailed, assertOk, out, startRegistry, type TestRegistry } from './support.js';

/** The real list (shared/fixtures/names), or a few of its top rows where the fixtures are absent. */
async function namesFile(dir: string): Promise<string> {
  const shared = resolve(sharedFixturesDir(), 'names', 'npm-names-by-downloads.tsv');
  if (existsSync(shared)) return shared;
  const file = join(dir, 'names.tsv');
  await writeFile(file, 'express\t410000000\nlodash\t640000000\nreact-dom\t580000000\n');
  return file;
}

describe('GEN-1b: typosquat guard with the real npm CLI', () => {
  let env: TestRegistry;
  let alice: ClientSandbox;

  before(async () => {
    env = await startRegistry(['alice'], { config: { names: { refreshSeconds: 0, appeal: 'mailto:registry@example.test' } } });
    alice = await ClientSandbox.create({ registry: env.reg.url, token: env.users.alice!.token });
    const imported = await env.reg.cli(['admin', 'names', 'import', await namesFile(alice.root)]);
    assertOk(imported, 'bulwark admin names import');
    assert.match(imported.stderr, /imported \d+ names/);
    // Importing again changes nothing (idempotent): every row is an update.
    const again = await env.reg.cli(['admin', 'names', 'import', await namesFile(alice.root)]);
    assertOk(again, 'bulwark admin names import, again');
    assert.match(again.stderr, /\(0 new, \d+ updated/);
  });

  after(async () => {
    await alice?.close();
    await env?.close();
  });

  async function npmPublish(name: string) {
    const dir = await writePackageDir({ name, version: '1.0.0' }, join(alice.root, 'src', name));
    return alice.npm(['publish'], { cwd: dir });
  }

  async function check(name: string) {
    return runProcess(process.execPath, [join(repoRoot(), 'packages/cli/dist/src/bin.js'), 'name', 'check', name, '--registry', env.reg.url, '--json'], { env: cleanEnv(), timeoutMs: 60_000 });
  }

  test('GEN-1b: npm publish of expresss is refused and npm prints the similar package, the code and the appeal path', async () => {
    const result = await npmPublish('expresss');
    assertFailed(result, 'npm publish expresss');
    const printed = out(result);
    assert.match(printed, /E_POLICY_TYPOSQUAT/);
    assert.match(printed, /too similar to the existing package "express"/);
    assert.match(printed, /mailto:registry@example\.test/);
    assert.equal((await fetch(env.reg.urlOf('expresss'))).status, 404, 'nothing was published');
  });

  test('GEN-1b: the availability endpoint and bulwark name check agree with publish', async () => {
    const res = await fetch(env.reg.urlOf('-/bulwark/v1/names/availability?name=expresss'));
    assert.equal(res.status, 200);
    const answer = (await res.json()) as { available: boolean; decision: { action: string; rule: string; similarTo: { name: string } } };
    assert.equal(answer.available, false);
    assert.equal(answer.decision.similarTo.name, 'express');
    const cli = await check('expresss');
    assert.equal(cli.code, 1, `bulwark name check exits 1 for a refused name\n${cli.stderr}`);
    assert.deepEqual(JSON.parse(cli.stdout), answer);
    const free = await check('bulwark-e2e-unique-widget');
    assert.equal(free.code, 0, free.stderr);
    assert.equal(JSON.parse(free.stdout).available, true);
    assertOk(await npmPublish('bulwark-e2e-unique-widget'), 'npm publish of an available name');
  });

  test('GEN-1b: a name held for review is published after bulwark admin names allow', async () => {
    const cli = await check('lodash-utils');
    assert.equal(cli.code, 3, `held for review exits 3\n${cli.stdout}${cli.stderr}`);
    const held = await npmPublish('lodash-utils');
    assertFailed(held, 'npm publish lodash-utils');
    assert.match(out(held), /E_NAME_HELD_FOR_REVIEW/);
    assert.match(out(held), /"lodash"/);
    const listed = await env.reg.cli(['admin', 'names', 'list']);
    assertOk(listed, 'bulwark admin names list');
    assert.equal(JSON.parse(listed.stdout).held[0].name, 'lodash-utils');
    assertOk(await env.reg.cli(['admin', 'names', 'allow', 'lodash-utils', '--note', 'reviewed']), 'bulwark admin names allow');
    assertOk(await npmPublish('lodash-utils'), 'npm publish lodash-utils after the operator allowed it');
  });
});
