import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { publishBody, type PackageSpec } from '@bulwark/testkit';
import { openUnpublisher } from '../../src/main.js';
import { loadConfig } from '../../src/config/load-config.js';
import { readFile } from 'node:fs/promises';
import { NPM_UNPUBLISH_RULES } from '../../src/policy/unpublish-policy.js';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const HOUR = 3_600_000;

/** A wall clock the test can move forward, so nothing waits for 72 hours. */
const offset = { ms: 0 };
const clock = { now: () => new Date(Date.now() + offset.ms) };

describe('GEN-2a: unpublish, tombstones and takedown through HTTP', () => {
  let reg: InProcessRegistry;
  let alice: string;
  let bob: string;

  before(async () => {
    reg = await inProcessRegistry({ unpublish: { maxWeeklyDownloads: 3 } }, {}, clock);
    alice = await reg.user('alice');
    bob = await reg.user('bob');
  });
  after(() => reg.close());

  async function publish(token: string, spec: PackageSpec) {
    const { body } = publishBody(spec);
    return reg.app.inject({ method: 'PUT', url: `/${spec.name.replace('/', '%2f')}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  }
  async function published(token: string, spec: PackageSpec) {
    const res = await publish(token, spec);
    assert.equal(res.statusCode, 201, res.body);
  }
  async function writeDoc(name: string) {
    return (await reg.app.inject({ url: `/${name}?write=true` })).json();
  }
  /** npm 11's `npm unpublish name@version`: PUT the document without it, then DELETE the tarball. */
  async function unpublishVersion(token: string, name: string, version: string) {
    const doc = await writeDoc(name);
    delete doc.versions[version];
    for (const [tag, v] of Object.entries(doc['dist-tags'])) if (v === version) delete doc['dist-tags'][tag];
    const put = await reg.app.inject({ method: 'PUT', url: `/${name}/-rev/${doc._rev}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(doc) });
    if (put.statusCode !== 201) return put;
    const { _rev } = await writeDoc(name);
    return reg.app.inject({ method: 'DELETE', url: `/${name}/-/${name}-${version}.tgz/-rev/${_rev}`, headers: bearer(token) });
  }
  async function unpublishAll(token: string, name: string) {
    const doc = await writeDoc(name);
    return reg.app.inject({ method: 'DELETE', url: `/${name}/-rev/${doc._rev}`, headers: bearer(token) });
  }

  test('GEN-2a: within the window an owner unpublishes a version; it is gone at once and can never be published again', async () => {
    await published(alice, { name: 'unp-one', version: '1.0.0' });
    await published(alice, { name: 'unp-one', version: '1.1.0' });
    // Warm the caches so the test proves they drop the version.
    assert.equal((await reg.app.inject({ url: '/unp-one' })).json().versions['1.1.0'].version, '1.1.0');
    assert.equal((await reg.app.inject({ url: '/unp-one/-/unp-one-1.1.0.tgz' })).statusCode, 200);

    const byBob = await unpublishVersion(bob, 'unp-one', '1.1.0');
    assert.equal(byBob.json().code, 'E_NOT_OWNER');
    const res = await unpublishVersion(alice, 'unp-one', '1.1.0');
    assert.equal(res.statusCode, 200, res.body);

    const doc = (await reg.app.inject({ url: '/unp-one' })).json();
    assert.deepEqual(Object.keys(doc.versions), ['1.0.0']);
    assert.equal(doc['dist-tags'].latest, '1.0.0', 'latest moved to the highest remaining version');
    const corgi = (await reg.app.inject({ url: '/unp-one', headers: { accept: CORGI } })).json();
    assert.deepEqual(Object.keys(corgi.versions), ['1.0.0']);
    assert.equal((await reg.app.inject({ url: '/unp-one/-/unp-one-1.1.0.tgz' })).statusCode, 404);

    const again = await publish(alice, { name: 'unp-one', version: '1.1.0', indexJs: 'module.exports = "other bytes";\n' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'E_VERSION_TOMBSTONED');
    assert.match(again.json().error, /unp-one@1\.1\.0 was unpublished on .*can never be published again.*\/-\/bulwark\/policies\/unpublish/);
    await published(alice, { name: 'unp-one', version: '1.2.0' });

    const entries = (await reg.app.inject({ url: '/-/tlog/entries?since=0&limit=1000' })).json().entries as Array<Record<string, unknown>>;
    assert.ok(entries.some((e) => e.type === 'version-unpublished' && e.name === 'unp-one' && e.version === '1.1.0' && e.actor === 'alice'), JSON.stringify(entries.slice(-5)));
  });

  test('GEN-2a: a deleted package says so (time.unpublished); the name is reserved for its former owners after the quarantine', async () => {
    await published(alice, { name: 'unp-all', version: '1.0.0' });
    await reg.app.inject({ url: '/unp-all', headers: { accept: CORGI } }); // cached
    const res = await unpublishAll(alice, 'unp-all');
    assert.equal(res.statusCode, 200, res.body);

    const full = await reg.app.inject({ url: '/unp-all', headers: { accept: 'application/json' } });
    assert.equal(full.statusCode, 200, 'npm view reads time.unpublished from a 200 full document');
    assert.deepEqual(full.json().time.unpublished.versions, ['1.0.0']);
    assert.equal(full.json().versions, undefined);
    const corgi = await reg.app.inject({ url: '/unp-all', headers: { accept: CORGI } });
    assert.equal(corgi.statusCode, 404, 'installs get a 404');
    assert.equal(corgi.json().code, 'E_PKG_UNPUBLISHED');
    assert.ok(corgi.json().time.unpublished.time);
    assert.equal((await reg.app.inject({ url: '/unp-all/1.0.0' })).statusCode, 404);

    const squatter = await publish(bob, { name: 'unp-all', version: '2.0.0' });
    assert.equal(squatter.statusCode, 403);
    assert.equal(squatter.json().code, 'E_NAME_DELETED');
    const tooSoon = await publish(alice, { name: 'unp-all', version: '2.0.0' });
    assert.equal(tooSoon.json().code, 'E_NAME_DELETED');
    assert.match(tooSoon.json().error, /former owners may publish new versions from/);

    offset.ms += 25 * HOUR;
    try {
      const old = await publish(alice, { name: 'unp-all', version: '1.0.0', indexJs: 'module.exports = 2;\n' });
      assert.equal(old.json().code, 'E_VERSION_TOMBSTONED');
      await published(alice, { name: 'unp-all', version: '2.0.0' });
      const doc = (await reg.app.inject({ url: '/unp-all' })).json();
      assert.deepEqual(Object.keys(doc.versions), ['2.0.0']);
      assert.deepEqual(doc.maintainers.map((m: { name: string }) => m.name), ['alice']);
    } finally {
      offset.ms -= 25 * HOUR;
    }
  });

  test('GEN-2a: after the window an unpublish with dependents, several owners or many downloads is refused with each reason', async () => {
    await published(alice, { name: 'unp-core', version: '1.0.0' });
    await published(alice, { name: 'unp-core', version: '1.0.1' });
    await published(bob, { name: 'unp-user', version: '1.0.0', dependencies: { 'unp-core': '^1.0.0' } });
    // Within the window, dependents alone block it (npm's rule).
    const early = await unpublishVersion(alice, 'unp-core', '1.0.1');
    assert.equal(early.statusCode, 403);
    assert.equal(early.json().code, 'E_UNPUBLISH_FORBIDDEN');
    assert.match(early.json().error, /Cannot unpublish unp-core@1\.0\.1: 1 package depends on it \(unp-user\)\. Use "npm deprecate unp-core@1\.0\.1 <message>" instead\. Policy: http:\/\/[^ ]+\/-\/bulwark\/policies\/unpublish/);

    const stats = (await reg.app.inject({ url: '/-/bulwark/package-stats/unp-core?version=1.0.1' })).json();
    assert.deepEqual({ dependents: stats.dependents, someDependents: stats.someDependents }, { dependents: 1, someDependents: ['unp-user'] });
    assert.equal(stats.unpublish.allowed, false, 'the policy answer is shown before anyone tries');
    assert.equal(stats.unpublish.reason, early.json().error.replace(/ \[E_UNPUBLISH_FORBIDDEN\]$/, ''));

    for (let i = 0; i < 3; i++) assert.equal((await reg.app.inject({ url: '/unp-core/-/unp-core-1.0.0.tgz' })).statusCode, 200);
    const own = await reg.app.inject({ method: 'PUT', url: `/unp-core/-rev/${(await writeDoc('unp-core'))._rev}`, headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: JSON.stringify({ _id: 'unp-core', maintainers: [{ name: 'alice' }, { name: 'bob' }] }) });
    assert.equal(own.statusCode, 201, own.body);
    assert.equal((await reg.app.inject({ url: '/-/bulwark/package-stats/unp-core' })).json().weeklyDownloads, 3);

    await published(bob, { name: 'unp-lonely', version: '1.0.0' });
    offset.ms += 73 * HOUR;
    try {
      const late = await unpublishAll(alice, 'unp-core');
      assert.equal(late.statusCode, 403);
      const error = late.json().error as string;
      assert.match(error, /1 package depends on it \(unp-user\)/);
      assert.match(error, /published 73 hours ago, after the 72-hour unpublish window/);
      assert.match(error, /it had 3 downloads in the last week \(the limit is under 3\)/);
      assert.match(error, /it has 2 owners \(the limit is 1\)/);
      // A package nobody depends on, single owner, no downloads: allowed after the window.
      const lonely = await unpublishAll(bob, 'unp-lonely');
      assert.equal(lonely.statusCode, 200, lonely.body);
    } finally {
      offset.ms -= 73 * HOUR;
    }
    assert.deepEqual(Object.keys((await reg.app.inject({ url: '/unp-core' })).json().versions), ['1.0.0', '1.0.1']);
  });

  test('GEN-2a: the registry serves docs/unpublish-policy.md, which states the default rules the code applies', async () => {
    const file = await readFile(new URL('../../../../../docs/unpublish-policy.md', import.meta.url), 'utf8');
    const served = await reg.app.inject({ url: '/-/bulwark/policies/unpublish' });
    assert.equal(served.statusCode, 200);
    assert.equal(served.body, file);
    const defaults = loadConfig({ flags: { dataDir: reg.dataDir } }).unpublish;
    assert.deepEqual({ enabled: defaults.enabled, windowHours: defaults.windowHours, maxWeeklyDownloads: defaults.maxWeeklyDownloads, maxOwners: defaults.maxOwners }, NPM_UNPUBLISH_RULES);
    assert.ok(file.includes(`**Within ${defaults.windowHours} hours of publish**`));
    assert.ok(file.includes(`fewer than **${defaults.maxWeeklyDownloads}** tarball downloads`));
    assert.ok(file.includes('at most **one** owner') && defaults.maxOwners === 1);
    assert.ok(file.includes(`after **${defaults.nameQuarantineHours} hours**`));
    for (const code of ['E_UNPUBLISH_FORBIDDEN', 'E_VERSION_TOMBSTONED', 'E_NAME_DELETED', 'E_PKG_UNPUBLISHED', 'E_REV_CONFLICT']) assert.ok(file.includes(code), code);
    const rules = (await reg.app.inject({ url: '/-/bulwark/policies/unpublish.json' })).json();
    assert.deepEqual(rules, { ...NPM_UNPUBLISH_RULES, maxWeeklyDownloads: 3, nameQuarantineHours: 24 }, 'the values in force (this registry lowers the download limit)');
  });

  test('GEN-2a: an unrelated document write (deprecate) still works', async () => {
    await published(alice, { name: 'unp-dep', version: '1.0.0' });
    const doc = await writeDoc('unp-dep');
    doc.versions['1.0.0'].deprecated = 'use something else';
    const put = await reg.app.inject({ method: 'PUT', url: `/unp-dep/-rev/${doc._rev}`, headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: JSON.stringify(doc) });
    assert.equal(put.statusCode, 201, put.body);
    assert.equal((await reg.app.inject({ url: '/unp-dep' })).json().versions['1.0.0'].deprecated, 'use something else');
  });

  test('GEN-2a: an operator takedown hides the version, is logged with its reason, and blocks the name until released', async () => {
    await published(alice, { name: 'unp-evil', version: '1.0.0' });
    await published(alice, { name: 'unp-evil', version: '1.0.1' });
    assert.equal((await reg.app.inject({ url: '/unp-evil/-/unp-evil-1.0.1.tgz' })).statusCode, 200);
    const unpublisher = openUnpublisher(reg.stores, loadConfig({ flags: { dataDir: reg.dataDir } }), clock);
    await unpublisher.takedown('ops-carol', 'unp-evil', '1.0.1', 'malware: steals tokens');
    const tomb = await reg.stores.metadata.findTombstone('unp-evil', '1.0.1');
    assert.equal(tomb?.kind, 'taken-down');
    assert.equal(tomb?.reason, 'malware: steals tokens');
    assert.equal(tomb?.actor, 'ops-carol');
    const entries = (await reg.app.inject({ url: '/-/tlog/entries?since=0&limit=1000' })).json().entries as Array<Record<string, unknown>>;
    assert.ok(entries.some((e) => e.type === 'taken-down' && e.version === '1.0.1' && e.reason === 'malware: steals tokens' && e.actor === 'ops-carol'));

    await unpublisher.takedown('ops-carol', 'unp-evil', null, 'malware: the whole package');
    assert.equal((await reg.stores.metadata.findDeletedName('unp-evil'))?.kind, 'taken-down');
    offset.ms += 1000 * HOUR;
    try {
      const former = await publish(alice, { name: 'unp-evil', version: '2.0.0' });
      assert.equal(former.json().code, 'E_NAME_DELETED', 'even the former owner is refused after a takedown');
      await unpublisher.releaseName('ops-carol', 'unp-evil');
      const reused = await publish(bob, { name: 'unp-evil', version: '1.0.0', indexJs: 'module.exports = "bob";\n' });
      assert.equal(reused.json().code, 'E_VERSION_TOMBSTONED', 'a released name keeps its tombstones');
      await published(bob, { name: 'unp-evil', version: '3.0.0' });
    } finally {
      offset.ms -= 1000 * HOUR;
    }
  });
});
