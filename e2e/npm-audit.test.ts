// CLI-2a (installing warns of known vulnerabilities) and CLI-3b (npm audit fix upgrades) with the
// real npm CLI against a spawned Bulwark whose advisory database was filled by the admin command.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, makeTempDir, removeDir, startFaultProxy, type FaultProxy } from '@bulwark/testkit';
import { assertExit, assertOk, installedTree, out, seed, startRegistry, type TestRegistry } from './support.js';

const ADVISORY_ID = 'GHSA-e2e0-aud1-vuln';

const ADVISORY = {
  schema_version: '1.6.0',
  id: ADVISORY_ID,
  modified: '2026-03-01T00:00:00Z',
  published: '2026-03-01T00:00:00Z',
  aliases: ['CVE-2099-4242'],
  summary: 'Remote code execution in aud-vuln',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [{ package: { ecosystem: 'npm', name: 'aud-vuln' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
  database_specific: { cwe_ids: ['CWE-94'] },
};

describe('CLI-2a: npm install and npm audit warn of advisories from Bulwark\'s own database', () => {
  let env: TestRegistry;
  let client: ClientSandbox;
  let proxy: FaultProxy;
  let downClient: ClientSandbox;
  let workDir: string;

  before(async () => {
    env = await startRegistry(['alice']);
    const token = env.users.alice!.token;
    await seed(env.reg, token, { name: 'aud-vuln', version: '1.0.0' });
    await seed(env.reg, token, { name: 'aud-app', version: '1.0.0', dependencies: { 'aud-vuln': '^1.0.0' } });
    workDir = await makeTempDir('bulwark-advisory-');
    const file = join(workDir, `${ADVISORY_ID}.json`);
    await writeFile(file, JSON.stringify(ADVISORY));
    const imported = await env.reg.cli(['admin', 'advisories', 'import', file]);
    assertOk(imported, 'bulwark admin advisories import');
    assert.match(imported.stdout, /1 added/);
    client = await ClientSandbox.create({ registry: env.reg.url, token, audit: true });
    proxy = await startFaultProxy({ target: env.reg.url });
    proxy.addRule({ name: 'audit down', method: 'POST', path: '/-/npm/v1/security/advisories/bulk', respond: { status: 503, body: { error: 'advisory service unavailable' } } });
    downClient = await ClientSandbox.create({ registry: proxy.url, token, audit: true });
  });

  after(async () => {
    await client?.close();
    await downClient?.close();
    await proxy?.close();
    await env?.close();
    if (workDir) await removeDir(workDir);
  });

  let project = '';

  test('CLI-2a: npm install of a package with a vulnerable dependency prints the vulnerability summary', async () => {
    project = await client.project();
    const install = await client.npm(['install', 'aud-app'], { cwd: project });
    assertOk(install, 'npm install aud-app');
    // The advisory's package and, as npm counts it, the package that depends on it ("metavuln").
    assert.match(out(install), /2 critical severity vulnerabilities/);
    assert.match(out(install), /Run `npm audit` for details/);
    assert.deepEqual(await installedTree(project), ['aud-app@1.0.0', 'aud-vuln@1.0.0']);
  });

  test('CLI-2a: npm audit --json lists the advisory with its id, severity, range and URL; npm audit exits 1', async () => {
    assert.ok(project, 'needs the project of the install test');
    const audit = await client.npm(['audit', '--json'], { cwd: project });
    assertExit(audit, 1, 'npm audit --json with a vulnerable dependency');
    const report = JSON.parse(audit.stdout) as { vulnerabilities: Record<string, { severity: string; via: Array<Record<string, unknown> | string>; fixAvailable: unknown }>; metadata: { vulnerabilities: Record<string, number> } };
    const vuln = report.vulnerabilities['aud-vuln'];
    assert.ok(vuln, `aud-vuln is reported: ${audit.stdout.slice(0, 2000)}`);
    assert.equal(vuln.severity, 'critical');
    const via = vuln.via[0] as Record<string, unknown>;
    assert.equal(via.source, ADVISORY_ID);
    assert.equal(via.title, 'Remote code execution in aud-vuln');
    assert.equal(via.range, '<1.0.1');
    assert.equal(via.url, `${env.reg.url.replace(/\/$/, '')}/-/advisories/${ADVISORY_ID}`);
    assert.deepEqual(via.cwe, ['CWE-94']);
    assert.deepEqual(report.vulnerabilities['aud-app']?.via, ['aud-vuln']);
    assert.equal(report.metadata.vulnerabilities.critical, 2);
    const text = await client.npm(['audit'], { cwd: project });
    assertExit(text, 1, 'npm audit');
    assert.match(out(text), /Remote code execution in aud-vuln/);
    assert.match(out(text), new RegExp(`/-/advisories/${ADVISORY_ID}`));
  });

  test('CLI-2a: npm audit fix moves to the fixed version published in Bulwark, and npm audit exits 0 after', async () => {
    assert.ok(project, 'needs the project of the install test');
    await seed(env.reg, env.users.alice!.token, { name: 'aud-vuln', version: '1.0.1' });
    const fix = await client.npm(['audit', 'fix'], { cwd: project });
    assertOk(fix, 'npm audit fix');
    assert.deepEqual(await installedTree(project), ['aud-app@1.0.0', 'aud-vuln@1.0.1']);
    const audit = await client.npm(['audit'], { cwd: project });
    assertOk(audit, 'npm audit after the fix');
    assert.match(out(audit), /found 0 vulnerabilities/);
  });

  test('CLI-2a: with the bulk endpoint down, npm install still succeeds and npm audit fails clearly', async () => {
    const downProject = await downClient.project();
    const install = await downClient.npm(['install', 'aud-app'], { cwd: downProject });
    assertOk(install, 'npm install with the audit endpoint down');
    assert.doesNotMatch(out(install), /vulnerabilit/);
    assert.ok(proxy.exchanges.some((e) => e.fault === 'audit down'), 'npm did ask the audit endpoint');
    const audit = await downClient.npm(['audit'], { cwd: downProject });
    assertExit(audit, 1, 'npm audit with the endpoint down');
    assert.match(out(audit), /audit endpoint returned an error/);
  });

  test('GEN-2d: bulwark admin advisories sync URL applies newer records while the server runs, and the server answers with them', async () => {
    const newer = { ...ADVISORY, id: 'GHSA-e2e0-sync-0001', aliases: [], modified: '2026-04-01T00:00:00Z', summary: 'Synced advisory for aud-app',
      affected: [{ package: { ecosystem: 'npm', name: 'aud-app' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] };
    const server = createServer((_req, res) => res.end([ADVISORY, newer].map((r) => JSON.stringify(r)).join('\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/npm.jsonl`;
      const sync = await env.reg.cli(['admin', 'advisories', 'sync', url]);
      assertOk(sync, 'bulwark admin advisories sync');
      assert.match(sync.stdout, /2 records: 1 added, 0 updated, 1 unchanged/);
      const res = await fetch(`${env.reg.url}-/npm/v1/security/advisories/bulk`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ 'aud-app': ['1.0.0'] })),
      });
      const body = await res.json() as Record<string, Array<{ id: string }>>;
      assert.deepEqual(body['aud-app']?.map((a) => a.id), ['GHSA-e2e0-sync-0001']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
