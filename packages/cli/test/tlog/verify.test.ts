import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLog } from '../../src/tlog/verify.js';
import { FakeLog } from './fake-log.js';

async function setup() {
  const log = new FakeLog();
  await log.start();
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-tlog-cli-'));
  const warnings: string[] = [];
  const run = (extra: Partial<Parameters<typeof verifyLog>[0]> = {}) =>
    verifyLog({ registry: log.url, statePath: join(dir, 'state.json'), packages: [], audit: false, warn: (l) => warnings.push(l), ...extra });
  return { log, dir, warnings, run };
}

const failed = (r: Awaited<ReturnType<typeof verifyLog>>) => r.report.failures.map((f) => `${f.check}: ${f.detail}`).join('\n');

test('GEN-3b: verify trusts the key on first use, proves inclusion, audits, and extends its saved checkpoint', async () => {
  const { log, dir, warnings, run } = await setup();
  try {
    for (let i = 0; i < 300; i++) log.publish('many', `1.0.${i}`);
    const first = await run({ packages: [{ name: 'many', version: '1.0.0' }, { name: 'many', version: '1.0.299' }], audit: true });
    assert.equal(first.report.ok, true, failed(first));
    assert.match(warnings.join('\n'), /first use/);
    log.publish('many', '2.0.0');
    const second = await run({ packages: [{ name: 'many', version: '2.0.0' }] });
    assert.equal(second.report.ok, true, failed(second));
    assert.equal(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).verify[log.url].size, 301);
  } finally {
    await log.stop();
  }
});

test('GEN-3b: verify fails on a split view, a bad signature, a changed key and a wrong packument', async () => {
  const { log, dir, run } = await setup();
  try {
    log.publish('p', '1.0.0');
    log.publish('p', '1.0.1');
    assert.equal((await run()).report.ok, true);
    const saved = await readFile(join(dir, 'state.json'), 'utf8');

    log.publish('p', '1.0.2');
    log.forgedRoot = new Uint8Array(32).fill(7);
    const split = await run();
    assert.equal(split.report.ok, false);
    assert.match(failed(split), /consistency: the consistency proof from size 2 to 3 does not verify/);
    assert.equal(await readFile(join(dir, 'state.json'), 'utf8'), saved, 'a failure does not move the state');
    log.forgedRoot = undefined;

    const otherKey = new FakeLog().key.verifierKey;
    const badSig = await verifyLog({ registry: log.url, key: otherKey, statePath: join(dir, 'fresh.json'), packages: [], audit: false, warn: () => {} });
    assert.match(failed(badSig), /checkpoint: signature check failed/);

    const state = JSON.parse(saved);
    state.verify[log.url].verifierKey = otherKey;
    await writeFile(join(dir, 'state.json'), JSON.stringify(state));
    assert.match(failed(await run()), /key: the registry now serves the key .* no rotation signed by the pinned key leads to it/);
    await writeFile(join(dir, 'state.json'), saved);

    const missing = await run({ packages: [{ name: 'p', version: '9.9.9' }] });
    assert.match(failed(missing), /p@9\.9\.9: the packument has no such version/);
  } finally {
    await log.stop();
  }
});
