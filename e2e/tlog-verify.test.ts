// GEN-3b end to end: the real npm CLI changes a package; `bulwark tlog verify` proves the events
// are in the log, catches an entry rewritten in the database and a rollback; `bulwark tlog monitor`
// reports the maintainer added and the dist-tag moved backwards.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ClientSandbox, cleanEnv, cliBinPath, describeRun, makeTempDir, removeDir, runProcess, writePackageDir, type RunResult,
} from '@bulwark/testkit';
import { assertOk, out, packument, startRegistry, type TestRegistry } from './support.js';

const NAME = 'tlog-e2e-pkg';

interface FeedEntry { index: number; type: string; name: string; version?: string; tag?: string; added?: string[] }

describe('GEN-3b: bulwark tlog verify and monitor against changes made with the npm CLI', () => {
  let env: TestRegistry;
  let alice: ClientSandbox;
  let work: string;
  let verifyState: string;

  const tlog = (args: string[]): Promise<RunResult> =>
    runProcess(process.execPath, [cliBinPath(), 'tlog', ...args], { cwd: work, env: { ...cleanEnv(), HOME: work, XDG_CONFIG_HOME: join(work, 'config') }, timeoutMs: 60_000 });
  const verify = (...extra: string[]) => tlog(['verify', '--registry', env.reg.url, '--state', verifyState, ...extra]);

  async function feed(): Promise<FeedEntry[]> {
    const res = await fetch(env.reg.urlOf('-/tlog/entries?since=0&limit=1000'));
    return ((await res.json()) as { entries: FeedEntry[] }).entries;
  }

  async function sql(statements: (db: import('better-sqlite3').Database) => void): Promise<void> {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(env.reg.dataDir, 'registry.sqlite'));
    try {
      db.pragma('busy_timeout = 5000');
      db.transaction(() => statements(db))();
    } finally {
      db.close();
    }
  }

  async function publish(version: string): Promise<void> {
    const dir = await writePackageDir({ name: NAME, version }, join(alice.root, 'src', `${NAME}-${version}`));
    assertOk(await alice.npm(['publish'], { cwd: dir }), `npm publish ${NAME}@${version}`);
  }

  before(async () => {
    env = await startRegistry(['alice', 'bob']);
    alice = await ClientSandbox.create({ registry: env.reg.url, token: env.users.alice!.token });
    work = await makeTempDir('bulwark-tlog-');
    verifyState = join(work, 'verify-state.json');
    await publish('1.0.0');
    await publish('1.0.1');
    assertOk(await alice.npm(['deprecate', `${NAME}@1.0.0`, 'use 1.0.1 instead']), 'npm deprecate');
    assertOk(await alice.npm(['dist-tag', 'add', `${NAME}@1.0.1`, 'next']), 'npm dist-tag add next');
    assertOk(await alice.npm(['owner', 'add', 'bob', NAME]), 'npm owner add bob');
    // `latest` goes back from 1.0.1 to 1.0.0: a move the monitor flags.
    assertOk(await alice.npm(['dist-tag', 'add', `${NAME}@1.0.0`, 'latest']), 'npm dist-tag add latest 1.0.0');
  });

  after(async () => {
    await alice?.close();
    await env?.close();
    if (work) await removeDir(work);
  });

  test('GEN-3b: every npm CLI change is a log entry, and verify --audit proves both versions (exit 0)', async () => {
    const types = (await feed()).map((e) => `${e.type}${e.tag ? `:${e.tag}` : ''}`);
    for (const t of ['version-published', 'dist-tag-set:latest', 'version-deprecated', 'dist-tag-set:next', 'maintainers-changed']) {
      assert.ok(types.includes(t), `the feed has ${t}: ${types.join(', ')}`);
    }
    const r = await verify('--package', `${NAME}@1.0.0`, '--package', `${NAME}@1.0.1`, '--audit');
    assertOk(r, 'tlog verify --audit');
    assert.match(r.stderr, /trusting the log key .* on first use/i, 'trust on first use is announced');
    const doc = await packument(env.reg, NAME);
    for (const v of ['1.0.0', '1.0.1']) {
      assert.ok(r.stdout.includes(`ok   ${NAME}@${v}: entry ${doc.versions[v]!.dist.tlogIndex} `), `inclusion of ${v} shown:\n${r.stdout}`);
    }
    assert.match(r.stdout, /ok {3}audit: root recomputed from \d+ entries equals the checkpoint root/);
    const state = JSON.parse(await readFile(verifyState, 'utf8'));
    assert.equal(state.verify[env.reg.url].size, (await feed()).length, 'the verified checkpoint is saved');

    // A second run: the key is now pinned, no TOFU note; JSON output; a lockfile of the registry.
    const project = await alice.project({ dependencies: { [NAME]: '1.0.1' } });
    assertOk(await alice.npm(['install'], { cwd: project }), 'npm install');
    const j = await verify('--lockfile', join(project, 'package-lock.json'), '--json');
    assertOk(j, 'tlog verify --lockfile --json');
    assert.doesNotMatch(j.stderr, /first use/);
    const report = JSON.parse(j.stdout) as { ok: boolean; checks: Array<{ check: string; ok: boolean }> };
    assert.equal(report.ok, true);
    assert.ok(report.checks.some((c) => c.check === `${NAME}@1.0.1` && c.ok), `lockfile package verified: ${j.stdout}`);

    // A pinned key that differs from the given one is an error; a usage error exits 2.
    const wrongKey = await verify('--key', 'other.example+01234567+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=');
    assert.equal(wrongKey.code, 1, describeRun(wrongKey));
    const usage = await verify('--package', 'no-version');
    assert.equal(usage.code, 2, describeRun(usage));
  });

  test('GEN-3b: monitor --once reports the maintainer added and the dist-tag moved backwards (exit 3), then resumes', async () => {
    const monitorState = join(work, 'monitor-state.json');
    const r = await tlog(['monitor', '--registry', env.reg.url, '--state', monitorState, '--watch', NAME, '--once']);
    assert.equal(r.code, 3, describeRun(r));
    assert.match(r.stdout, new RegExp(`ANOMALY maintainer-added ${NAME} entry \\d+ .*bob was added as a maintainer`));
    assert.match(r.stdout, new RegExp(`ANOMALY dist-tag-backwards ${NAME} entry \\d+ .*"latest" moved backwards from 1\\.0\\.1 to 1\\.0\\.0`));
    assert.doesNotMatch(r.stdout, /new-publisher|deprecation-removed/);

    const again = await tlog(['monitor', '--registry', env.reg.url, '--state', monitorState, '--once', '--json']);
    assert.equal(again.code, 0, `a restart resumes from "next" and reports nothing new\n${describeRun(again)}`);
    assert.equal(again.stdout.trim(), '');

    const replay = await tlog(['monitor', '--registry', env.reg.url, '--state', join(work, 'other-monitor.json'), '--once', '--json', '--watch', 'something-else']);
    assert.equal(replay.code, 0, `an unwatched package raises nothing\n${describeRun(replay)}`);
  });

  test('GEN-3b: an entry rewritten in the database is caught by verify --audit, naming the entry (exit 1)', async () => {
    const target = (await feed()).find((e) => e.type === 'version-deprecated');
    assert.ok(target, 'the deprecation is in the feed');
    const before = await readFile(verifyState, 'utf8');
    await sql((db) => db.prepare("update tlog_entries set entry = replace(entry, 'use 1.0.1 instead', 'use 6.6.6 instead') where idx = ?").run(target.index));
    try {
      const r = await verify('--audit');
      assert.equal(r.code, 1, describeRun(r));
      assert.match(r.stdout, new RegExp(`FAIL audit: entry ${target.index}: tile tile/0/000\\S* holds`), out(r));
      assert.match(r.stdout, /FAIL audit: root recomputed from the \d+ entries is/);
      assert.match(r.stdout, /verification FAILED/);
      assert.equal(await readFile(verifyState, 'utf8'), before, 'a failed run does not move the state');
    } finally {
      await sql((db) => db.prepare("update tlog_entries set entry = replace(entry, 'use 6.6.6 instead', 'use 1.0.1 instead') where idx = ?").run(target.index));
    }
    assertOk(await verify('--audit'), 'verify --audit once the entry is restored');
  });

  test('GEN-3b: a rollback of the log to an older state is caught thanks to the state file (exit 1)', async () => {
    const size = (await feed()).length;
    await publish('1.0.2');
    const grown = await verify('--package', `${NAME}@1.0.2`);
    assertOk(grown, 'verify the grown log');
    const grownSize = (await feed()).length;
    assert.ok(grownSize > size);

    // The operator rolls the log back to `size` entries: entries, their subtree hashes and the head.
    await sql((db) => {
      db.prepare('delete from tlog_entries where idx >= ?').run(size);
      db.prepare('delete from tlog_hashes where (idx + 1) * (1 << level) > ?').run(size);
      db.prepare('update tlog_head set size = ? where id = 1').run(size);
    });
    const r = await verify();
    assert.equal(r.code, 1, describeRun(r));
    assert.match(r.stdout, new RegExp(`FAIL consistency: rollback: the log has ${size} entries, but a checkpoint of ${grownSize} entries was verified`));

    const j = await verify('--json');
    assert.equal(j.code, 1, describeRun(j));
    const report = JSON.parse(j.stdout) as { ok: boolean; failures: Array<{ check: string; detail: string }> };
    assert.equal(report.ok, false);
    assert.equal(report.failures[0]?.check, 'consistency');
  });
});
