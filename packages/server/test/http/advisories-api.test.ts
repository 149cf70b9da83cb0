import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publishBody } from '@bulwark/testkit';
import { AdvisoryImport } from '../../src/services/advisories/index.js';
import { FileAdvisorySource } from '../../src/adapters/advisories/osv-source.js';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** Imported advisories: one for vuln-lib <1.0.1 (GHSA, with a CVE twin), one withdrawn. */
const RECORDS = [
  {
    id: 'GHSA-aaaa-bbbb-cccc', modified: '2026-01-02T00:00:00Z', published: '2026-01-01T00:00:00Z', aliases: ['CVE-2099-0001', 'CVE-2099-0002'],
    summary: 'Prototype pollution in vuln-lib', severity: [{ type: 'CVSS_V3', score: CRITICAL }],
    affected: [{ package: { ecosystem: 'npm', name: 'vuln-lib' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
    database_specific: { cwe_ids: ['CWE-1321'], severity: 'CRITICAL' },
  },
  {
    // The same flaw as published by another database: reported once (aliases merged).
    id: 'CVE-2099-0001', modified: '2026-01-02T00:00:00Z', aliases: ['GHSA-aaaa-bbbb-cccc'], summary: 'CVE twin',
    affected: [{ package: { ecosystem: 'npm', name: 'vuln-lib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
  },
  {
    id: 'GHSA-wwww-xxxx-yyyy', modified: '2026-01-03T00:00:00Z', withdrawn: '2026-01-03T00:00:00Z', summary: 'Withdrawn: not a vulnerability',
    affected: [{ package: { ecosystem: 'npm', name: 'vuln-lib' }, versions: ['1.0.0', '2.0.0'] }],
  },
];

describe('GEN-2d / CLI-2a: advisories over HTTP', () => {
  let reg: InProcessRegistry;
  let alice: string;
  let bob: string;

  async function publish(token: string, name: string, version: string, dependencies?: Record<string, string>) {
    const { body } = publishBody({ name, version, ...(dependencies ? { dependencies } : {}) });
    const res = await reg.app.inject({ method: 'PUT', url: `/${name.replace('/', '%2f')}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    assert.equal(res.statusCode, 201, res.body);
  }

  function bulk(body: unknown, gzip = true) {
    const json = Buffer.from(JSON.stringify(body));
    return reg.app.inject({
      method: 'POST', url: '/-/npm/v1/security/advisories/bulk',
      headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
      payload: gzip ? gzipSync(json) : json,
    });
  }

  before(async () => {
    reg = await inProcessRegistry();
    alice = await reg.user('alice');
    bob = await reg.user('bob');
    await publish(alice, 'vuln-lib', '1.0.0');
    await publish(alice, 'vuln-lib', '2.0.0');
    await publish(alice, 'mid-lib', '1.0.0', { 'vuln-lib': '^1.0.0' });
    await publish(alice, 'cyc-a', '1.0.0', { 'cyc-b': '^1.0.0' });
    await publish(alice, 'cyc-b', '1.0.0', { 'cyc-a': '^1.0.0', 'vuln-lib': '^1.0.0' });
    await publish(alice, 'app-a', '1.0.0', { 'mid-lib': '^1.0.0', 'cyc-a': '^1.0.0', 'not-here': '^1.0.0', 'from-git': 'github:a/b' });
    const importer = new AdvisoryImport({ store: reg.stores.advisories, source: new FileAdvisorySource() });
    const result = await importer.importInputs(RECORDS.map((value, i) => ({ value, origin: `test[${i}]` })));
    assert.equal(result.added, 3);
  });
  after(() => reg.close());

  test('CLI-2a: the bulk endpoint takes npm\'s gzipped body and answers each affected package in npm\'s shape', async () => {
    const res = await bulk({ 'vuln-lib': ['1.0.0', '2.0.0'], 'mid-lib': ['1.0.0'], 'unknown-pkg': ['1.0.0'] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      'vuln-lib': [{
        id: 'GHSA-aaaa-bbbb-cccc',
        url: 'http://localhost:80/-/advisories/GHSA-aaaa-bbbb-cccc',
        title: 'Prototype pollution in vuln-lib',
        severity: 'critical',
        vulnerable_versions: '<1.0.1',
        cwe: ['CWE-1321'],
        cvss: { score: 9.8, vectorString: CRITICAL },
      }],
    });
  });

  test('CLI-2a: a tree with no affected version gets {} (plain JSON accepted too); a malformed body is refused', async () => {
    assert.deepEqual((await bulk({ 'vuln-lib': ['1.0.1', '2.0.0'] }, false)).json(), {});
    const bad = await bulk({ 'vuln-lib': '1.0.0' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'E_BAD_REQUEST');
    const notGzip = await reg.app.inject({ method: 'POST', url: '/-/npm/v1/security/advisories/bulk', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: 'not gzip' });
    assert.equal(notGzip.statusCode, 400);
    // A small gzip body that inflates past the route's limit (32 MiB) is refused, not inflated whole.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"a":["'), Buffer.alloc(40 * 1024 * 1024, 0x31), Buffer.from('"]}')]));
    assert.ok(bomb.length < 100 * 1024);
    const refused = await reg.app.inject({ method: 'POST', url: '/-/npm/v1/security/advisories/bulk', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: bomb });
    assert.equal(refused.statusCode, 413);
    assert.equal(refused.json().code, 'E_BODY_TOO_LARGE');
    const brotli = await reg.app.inject({ method: 'POST', url: '/-/npm/v1/security/advisories/bulk', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, payload: 'x' });
    assert.equal(brotli.statusCode, 415);
  });

  test('GEN-2d: the OSV API answers query, querybatch and vulns (by id and by alias) in osv.dev\'s shape', async () => {
    const byName = await reg.app.inject({ method: 'POST', url: '/v1/query', payload: { package: { name: 'vuln-lib', ecosystem: 'npm' }, version: '1.0.0', page_token: 'ignored' } });
    assert.equal(byName.statusCode, 200);
    assert.deepEqual(byName.json().vulns.map((v: { id: string }) => v.id), ['GHSA-aaaa-bbbb-cccc']);
    assert.equal(byName.json().next_page_token, undefined);
    const byPurl = await reg.app.inject({ method: 'POST', url: '/v1/query', payload: { package: { purl: 'pkg:npm/vuln-lib@1.0.0' } } });
    assert.equal(byPurl.json().vulns[0].id, 'GHSA-aaaa-bbbb-cccc');
    assert.deepEqual((await reg.app.inject({ method: 'POST', url: '/v1/query', payload: { package: { name: 'vuln-lib', ecosystem: 'npm' }, version: '2.0.0' } })).json(), {});
    assert.deepEqual((await reg.app.inject({ method: 'POST', url: '/v1/query', payload: { commit: 'abc123' } })).json(), {});
    const batch = await reg.app.inject({ method: 'POST', url: '/v1/querybatch', payload: { queries: [{ package: { name: 'vuln-lib', ecosystem: 'npm' }, version: '1.0.0' }, { package: { name: 'left-pad', ecosystem: 'npm' }, version: '1.0.0' }] } });
    assert.deepEqual(batch.json(), { results: [{ vulns: [{ id: 'GHSA-aaaa-bbbb-cccc', modified: '2026-01-02T00:00:00Z' }] }, {}] });
    const vuln = await reg.app.inject({ url: '/v1/vulns/CVE-2099-0002' });
    assert.equal(vuln.statusCode, 200);
    assert.equal(vuln.json().id, 'GHSA-aaaa-bbbb-cccc');
    assert.deepEqual(vuln.json().affected[0].ranges[0].events, [{ introduced: '0' }, { fixed: '1.0.1' }]);
    const withdrawn = await reg.app.inject({ url: '/v1/vulns/GHSA-wwww-xxxx-yyyy' });
    assert.equal(withdrawn.json().withdrawn, '2026-01-03T00:00:00Z');
    const missing = await reg.app.inject({ url: '/v1/vulns/GHSA-none-none-none' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'E_ADVISORY_NOT_FOUND');
  });

  test('GEN-2d: a version\'s report lists advisories of its dependency tree with the path and the version to move to, cycle-safe', async () => {
    const res = await reg.app.inject({ url: '/-/bulwark/v1/advisories/for/app-a/1.0.0' });
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json();
    assert.deepEqual(report.direct, []);
    // vuln-lib@1.0.0 is reached twice (through mid-lib and through the cyc-a <-> cyc-b cycle): the shortest path is shown.
    assert.deepEqual(report.dependencies.map((d: { pathText: string }) => d.pathText), ['app-a@1.0.0 > mid-lib@1.0.0 > vuln-lib@1.0.0']);
    assert.deepEqual(report.dependencies[0].path, ['app-a@1.0.0', 'mid-lib@1.0.0', 'vuln-lib@1.0.0']);
    assert.equal(report.resolvedCount, 4);
    const hit = report.dependencies[0];
    assert.equal(hit.advisory.id, 'GHSA-aaaa-bbbb-cccc');
    assert.deepEqual(hit.advisory.fixedIn, ['1.0.1']);
    assert.equal(hit.advisory.upgradeTo, '2.0.0');
    assert.equal(hit.advisory.severity, 'critical');
    assert.deepEqual(report.unresolved.map((u: { name: string }) => u.name).sort(), ['from-git', 'not-here']);
    assert.equal(report.truncated, false);

    const direct = (await reg.app.inject({ url: '/-/bulwark/v1/advisories/for/vuln-lib/1.0.0' })).json();
    assert.deepEqual(direct.direct.map((a: { id: string }) => a.id), ['GHSA-aaaa-bbbb-cccc']);
    const flags = await reg.app.inject({ method: 'POST', url: '/-/bulwark/v1/advisories/flags', payload: { names: ['vuln-lib', 'mid-lib'] } });
    assert.deepEqual(flags.json(), { 'vuln-lib': { count: 1, maxSeverity: 'critical' }, 'mid-lib': { count: 0, maxSeverity: null } });
    const missing = await reg.app.inject({ url: '/-/bulwark/v1/advisories/for/app-a/9.9.9' });
    assert.equal(missing.statusCode, 404);
  });

  test('GEN-2d: maintainers write advisories for their packages; a draft is invisible until published; others are refused', async () => {
    const input = { package: 'mid-lib', summary: 'Command injection in mid-lib', details: 'Found by our team.', vulnerable_versions: '>=1.0.0 <1.0.2', cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', cwe: ['CWE-78'] };
    const anonymous = await reg.app.inject({ method: 'POST', url: '/-/bulwark/v1/advisories', payload: input });
    assert.equal(anonymous.statusCode, 401);
    const stranger = await reg.app.inject({ method: 'POST', url: '/-/bulwark/v1/advisories', headers: bearer(bob), payload: input });
    assert.equal(stranger.statusCode, 403);
    assert.equal(stranger.json().code, 'E_NOT_OWNER');
    const invalid = await reg.app.inject({ method: 'POST', url: '/-/bulwark/v1/advisories', headers: bearer(alice), payload: { ...input, vulnerable_versions: 'not a range!!' } });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().code, 'E_ADVISORY_INVALID');

    const created = await reg.app.inject({ method: 'POST', url: '/-/bulwark/v1/advisories', headers: bearer(alice), payload: input });
    assert.equal(created.statusCode, 201, created.body);
    const draft = created.json();
    assert.match(draft.id, /^BWK-\d{4}-0001$/);
    assert.equal(draft.state, 'draft');
    assert.deepEqual(draft.record.affected[0].ranges, [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.0.2' }] }]);

    // Invisible: OSV, bulk audit, the public JSON, and to another user.
    assert.equal((await reg.app.inject({ url: `/v1/vulns/${draft.id}` })).statusCode, 404);
    assert.deepEqual((await bulk({ 'mid-lib': ['1.0.0'] })).json(), {});
    assert.equal((await reg.app.inject({ url: `/-/bulwark/v1/advisories/${draft.id}`, headers: bearer(bob) })).statusCode, 404);
    assert.equal((await reg.app.inject({ url: `/-/bulwark/v1/advisories/${draft.id}`, headers: bearer(alice) })).json().state, 'draft');
    assert.equal((await reg.app.inject({ method: 'POST', url: `/-/bulwark/v1/advisories/${draft.id}/publish`, headers: bearer(bob) })).statusCode, 404);

    const published = await reg.app.inject({ method: 'POST', url: `/-/bulwark/v1/advisories/${draft.id}/publish`, headers: bearer(alice) });
    assert.equal(published.statusCode, 200, published.body);
    assert.equal(published.json().state, 'published');
    const osv = (await reg.app.inject({ url: `/v1/vulns/${draft.id}` })).json();
    assert.equal(osv.id, draft.id);
    assert.ok(osv.published);
    assert.deepEqual(osv.severity, [{ type: 'CVSS_V4', score: input.cvss }]);
    const audit = (await bulk({ 'mid-lib': ['1.0.0'] })).json();
    assert.equal(audit['mid-lib'][0].id, draft.id);
    assert.equal(audit['mid-lib'][0].severity, 'critical');
    assert.equal(audit['mid-lib'][0].cvss.score, 9.3);

    const updated = await reg.app.inject({ method: 'PATCH', url: `/-/bulwark/v1/advisories/${draft.id}`, headers: bearer(alice), payload: { summary: 'Command injection in mid-lib (all 1.x)', vulnerable_versions: '>=1.0.0 <2.0.0' } });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.ok(Date.parse(updated.json().record.modified) > Date.parse(osv.modified));
    assert.equal((await bulk({ 'mid-lib': ['1.5.0'] })).json()['mid-lib'][0].vulnerable_versions, '>=1.0.0 <2.0.0');

    const withdrawn = await reg.app.inject({ method: 'PATCH', url: `/-/bulwark/v1/advisories/${draft.id}`, headers: bearer(alice), payload: { withdrawn: true } });
    assert.ok(withdrawn.json().record.withdrawn);
    assert.deepEqual((await bulk({ 'mid-lib': ['1.0.0'] })).json(), {});
    const list = (await reg.app.inject({ url: '/-/bulwark/v1/advisories/package/mid-lib', headers: bearer(alice) })).json();
    assert.deepEqual(list.written.map((w: { id: string }) => w.id), [draft.id]);
  });
});

describe('GEN-2d: the scheduled sync configured in advisories.sync', () => {
  test('GEN-2d: a registry with advisories.sync.url fetches the URL after start and serves what it found', async () => {
    const record = { ...RECORDS[0], id: 'GHSA-sync-conf-0001', aliases: [] };
    const server = createServer((_req, res) => res.end(JSON.stringify([record])));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/all.json`;
    const reg = await inProcessRegistry({ advisories: { sync: { url, intervalMinutes: 5 } } });
    try {
      let found = 0;
      for (let i = 0; i < 100 && found !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = (await reg.app.inject({ url: '/v1/vulns/GHSA-sync-conf-0001' })).statusCode;
      }
      assert.equal(found, 200, 'the synced advisory is served');
    } finally {
      await reg.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
