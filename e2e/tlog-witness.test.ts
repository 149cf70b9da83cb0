// GEN-3b: witnesses. A registry configured with a witness serves its cosignature; `bulwark tlog
// verify --witness KEY` refuses a checkpoint the witness has not cosigned and accepts it after.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cleanEnv, cliBinPath, describeRun, makeTempDir, removeDir, runProcess, type RunResult } from '@bulwark/testkit';
import { cosigner, formatCosignatureVerifierKey, generateEd25519, parseNote, signNote } from '@bulwark/server/domain/tlog/index';
import { seed, startRegistry, type TestRegistry } from './support.js';

describe('GEN-3b: witness cosignatures', () => {
  const witness = generateEd25519();
  const witnessKey = formatCosignatureVerifierKey('witness.e2e', witness.publicKey);
  let env: TestRegistry;
  let work: string;

  const verify = (...extra: string[]): Promise<RunResult> =>
    runProcess(process.execPath, [cliBinPath(), 'tlog', 'verify', '--registry', env.reg.url, '--state', join(work, 'state.json'), ...extra], {
      cwd: work, env: { ...cleanEnv(), HOME: work }, timeoutMs: 60_000,
    });

  before(async () => {
    env = await startRegistry(['alice'], { config: { tlog: { witnesses: [witnessKey], checkpointIntervalSeconds: 3600 } } });
    work = await makeTempDir('bulwark-witness-');
  });
  after(async () => {
    await env?.close();
    if (work) await removeDir(work);
  });

  test('GEN-3b: verify with a witness quorum fails until the witness cosigns the served checkpoint', async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'witnessed-pkg', version: '1.0.0' });
    const before = await verify('--witness', witnessKey);
    assert.equal(before.code, 1, describeRun(before));
    assert.match(before.stdout, /0 of the required 1 witness cosignatures/);

    const served = await (await fetch(env.reg.urlOf('-/tlog/checkpoint'))).text();
    const note = parseNote(served);
    const cosigned = signNote(note.text, [cosigner('witness.e2e', witness.seed, Math.floor(Date.now() / 1000))], note.signatures);
    const posted = await fetch(env.reg.urlOf('-/tlog/cosignatures'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: cosigned });
    assert.equal(posted.status, 200, await posted.text());

    const afterCosign = await verify('--witness', witnessKey);
    assert.equal(afterCosign.code, 0, describeRun(afterCosign));
    assert.match(afterCosign.stdout, /cosigned by witness\.e2e/);
    const badQuorum = await verify('--witness', witnessKey, '--quorum', '2');
    assert.equal(badQuorum.code, 2, describeRun(badQuorum));
  });
});
