// GEN-3b: rotating the log key. `bulwark admin tlog rotate-key` logs a rotation signed by the old
// key, and `bulwark tlog verify` with the old key pinned follows it. A key swapped by someone who
// controls the server but not the old key is refused.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cleanEnv, cliBinPath, describeRun, makeTempDir, removeDir, runProcess, type RunResult } from '@bulwark/testkit';
import { generateNoteKey } from '@bulwark/server/domain/tlog/index';
import { seed, startRegistry, type TestRegistry } from './support.js';

describe('GEN-3b: log key rotation', () => {
  let env: TestRegistry;
  let work: string;
  let state: string;

  const bulwark = (args: string[]): Promise<RunResult> =>
    runProcess(process.execPath, [cliBinPath(), ...args], { cwd: work, env: { ...cleanEnv(), HOME: work }, timeoutMs: 60_000 });
  const verify = () => bulwark(['tlog', 'verify', '--registry', env.reg.url, '--state', state]);

  before(async () => {
    env = await startRegistry(['alice']);
    work = await makeTempDir('bulwark-rotate-');
    state = join(work, 'state.json');
  });
  after(async () => {
    await env?.close();
    if (work) await removeDir(work);
  });

  test('GEN-3b: verify follows a rotation signed by the pinned key, and refuses a key swapped without it', async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'rotated-pkg', version: '1.0.0' });
    const first = await verify();
    assert.equal(first.code, 0, describeRun(first));
    const oldKey = (await (await fetch(env.reg.urlOf('-/tlog/key'))).text()).trim();

    await env.reg.stop();
    const rotate = await bulwark(['admin', 'tlog', 'rotate-key', '--data-dir', env.reg.dataDir]);
    assert.equal(rotate.code, 0, describeRun(rotate));
    const newKey = rotate.stdout.trim();
    assert.notEqual(newKey, oldKey);
    await env.reg.restart();
    assert.equal((await (await fetch(env.reg.urlOf('-/tlog/key'))).text()).trim(), newKey);
    await seed(env.reg, env.users.alice!.token, { name: 'rotated-pkg', version: '1.0.1' });

    const entries = (await (await fetch(env.reg.urlOf('-/tlog/entries?since=0'))).json()) as { entries: Array<{ type: string; oldKey?: string; newKey?: string }> };
    const rotation = entries.entries.find((e) => e.type === 'signing-key-rotated');
    assert.deepEqual({ oldKey: rotation?.oldKey, newKey: rotation?.newKey }, { oldKey, newKey });

    const second = await verify();
    assert.equal(second.code, 0, describeRun(second));
    assert.match(second.stdout + second.stderr, /rotated/);

    // An attacker with the server but not the old key writes a key of their own.
    await env.reg.stop();
    const keyFile = join(env.reg.dataDir, 'tlog-signing.key');
    const name = (await readFile(keyFile, 'utf8')).split('+')[2]!;
    await writeFile(keyFile, `${generateNoteKey(name).signerKey}\n`);
    await env.reg.restart();
    const third = await verify();
    assert.equal(third.code, 1, describeRun(third));
    assert.match(third.stdout + third.stderr, /no rotation signed by the pinned key/);
  });
});
