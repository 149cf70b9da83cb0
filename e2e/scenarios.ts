// Scenarios shared by the plain and the path-prefix suites (plan items 5, 8, 13 and 29).
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  fetchBytes, integrityOf, runProcess, tarballPath, writePackageDir,
  type ClientSandbox, type FaultProxy, type RunningRegistry,
} from '@bulwark/testkit';
import { assertOk, installedTree, packument, readLockfile, storedBlob } from './support.js';

/**
 * Item 5: `npm publish` (through a recording proxy in front of `reg`) prints `+ name@ver`; the stored
 * blob equals the attachment npm sent; the full doc has _rev, time[ver], maintainers, _npmUser and an
 * absolute npmjs-layout dist.tarball.
 */
export async function publishScenario(reg: RunningRegistry, proxy: FaultProxy, client: ClientSandbox, name: string, user: string, access?: 'public'): Promise<void> {
  const version = '1.0.0';
  const dir = await writePackageDir({ name, version, description: `publish scenario ${name}` }, join(client.root, 'src', name.replace('/', '__')));
  const args = ['publish'];
  if (access) args.push('--access', access);
  const r = await client.npm(args, { cwd: dir });
  assertOk(r, `npm publish ${name}`);
  assert.ok(r.stdout.includes(`+ ${name}@${version}`), `npm printed "+ ${name}@${version}":\n${r.stdout}`);

  const put = proxy.exchanges.filter((e) => e.method === 'PUT' && decodeURIComponent(e.path).endsWith(`/${name}`)).at(-1);
  assert.ok(put, `npm sent PUT /${name}`);
  const body = JSON.parse(put.body.toString('utf8')) as { access: unknown; _attachments: Record<string, { data: string; length: number }> };
  if (access) assert.equal(body.access, access);
  const att = body._attachments[`${name}-${version}.tgz`];
  assert.ok(att, `the attachment key is ${name}-${version}.tgz`);
  const sent = Buffer.from(att.data, 'base64');
  assert.equal(sent.length, att.length);

  const doc = await packument(reg, name);
  assert.equal(doc.name, name);
  assert.ok(typeof doc._rev === 'string' && doc._rev.length > 0, `full doc has _rev: ${JSON.stringify(doc._rev)}`);
  assert.equal(doc['dist-tags'].latest, version);
  assert.ok(doc.time?.[version] && !Number.isNaN(Date.parse(doc.time[version])), `time[${version}] is a date: ${JSON.stringify(doc.time)}`);
  assert.ok(doc.time?.created && doc.time?.modified, 'time.created and time.modified are set');
  assert.ok(doc.maintainers?.some((m) => m.name === user), `maintainers include ${user}: ${JSON.stringify(doc.maintainers)}`);
  const v = doc.versions[version];
  assert.ok(v, `versions[${version}] exists`);
  assert.equal(v._npmUser?.name, user, `_npmUser is ${user}: ${JSON.stringify(v._npmUser)}`);
  assert.equal(v.dist.tarball, reg.url + tarballPath(name, version), 'dist.tarball is absolute and in npmjs layout');
  assert.equal(v.dist.integrity, integrityOf(sent), 'dist.integrity is the sha512 of what npm sent');

  const stored = await storedBlob(reg, integrityOf(sent));
  assert.ok(stored.equals(sent), 'the stored blob bytes equal the _attachments data');
  const served = await fetchBytes(v.dist.tarball);
  assert.equal(served.status, 200, `GET ${v.dist.tarball}`);
  assert.ok(served.bytes.equals(sent), 'the served tarball equals the _attachments data');
}

/**
 * Item 8: in a fresh project `npm install <pkg>`; then `rm -rf node_modules ~/.npm/_cacache && npm ci`
 * installs the same tree; lockfile `resolved` points at the registry and `integrity` is the sha512 of the stored tgz.
 */
export async function installScenario(reg: RunningRegistry, client: ClientSandbox, pkg: string): Promise<string> {
  const project = await client.project();
  const r = await client.npm(['install', pkg], { cwd: project });
  assertOk(r, `npm install ${pkg}`);
  const tree = await installedTree(project);
  assert.ok(tree.length >= 2, `a tree with dependencies was installed: ${tree.join(', ')}`);
  const lock = await readLockfile(project);
  const entries = Object.entries(lock.packages).filter(([k]) => k.startsWith('node_modules/'));
  assert.equal(entries.length, tree.length, 'every installed package is in the lockfile');
  for (const [key, e] of entries) {
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    assert.equal(e.resolved, reg.url + tarballPath(name, e.version!), `${key}: resolved points at the registry`);
    assert.ok(e.integrity?.startsWith('sha512-'), `${key}: integrity is sha512`);
    const stored = await storedBlob(reg, e.integrity!);
    assert.equal(integrityOf(stored), e.integrity);
  }
  await rm(join(project, 'node_modules'), { recursive: true, force: true });
  await client.clearCache();
  const ci = await client.npm(['ci'], { cwd: project });
  assertOk(ci, 'npm ci');
  assert.deepEqual(await installedTree(project), tree, 'npm ci installed the same tree');
  const run = await runProcess(process.execPath, ['-e', `const m = require(${JSON.stringify(pkg)}); console.log(m.name + '@' + m.version)`], { cwd: project });
  assertOk(run, 'requiring the installed package');
  assert.match(run.stdout, new RegExp(`${pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@`));
  return project;
}

/** Item 13: dist-tag add/ls/rm on a package whose latest is 1.0.1. */
export async function distTagScenario(reg: RunningRegistry, client: ClientSandbox, name: string): Promise<void> {
  const add = await client.npm(['dist-tag', 'add', `${name}@1.0.0`, 'beta']);
  assertOk(add, 'npm dist-tag add');
  assert.ok(add.stdout.includes(`+beta: ${name}@1.0.0`), `dist-tag add output:\n${add.stdout}`);
  assert.equal((await packument(reg, name))['dist-tags'].beta, '1.0.0');

  const ls = await client.npm(['dist-tag', 'ls', name]);
  assertOk(ls, 'npm dist-tag ls');
  const lines = ls.stdout.trim().split('\n').map((l) => l.trim()).sort();
  assert.deepEqual(lines, ['beta: 1.0.0', 'latest: 1.0.1'], `dist-tag ls output:\n${ls.stdout}`);

  const del = await client.npm(['dist-tag', 'rm', name, 'beta']);
  assertOk(del, 'npm dist-tag rm');
  assert.ok(del.stdout.includes(`-beta: ${name}@1.0.0`), `dist-tag rm output:\n${del.stdout}`);
  assert.equal((await packument(reg, name))['dist-tags'].beta, undefined);

  const ls2 = await client.npm(['dist-tag', 'ls', name]);
  assertOk(ls2, 'npm dist-tag ls after rm');
  assert.deepEqual(ls2.stdout.trim().split('\n').map((l) => l.trim()), ['latest: 1.0.1']);
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
}
