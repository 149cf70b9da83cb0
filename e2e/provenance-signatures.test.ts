// AUTHZ-3c end to end: registry signatures checked by npm's own pacote and by `bulwark verify`,
// on a tree installed with the real npm CLI; provenance attestations verified by `bulwark verify`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, cliBinPath, putPackage, runProcess, sharedFixturesDir, startFaultProxy, writePackageDir, type FaultProxy } from '@bulwark/testkit';
import { assertOk, seed, startRegistry, type TestRegistry } from './support.js';

const FIXTURES = join(sharedFixturesDir(), 'sigstore');
/** npm's own pacote (the one `npm audit signatures` calls), not a separately installed copy. */
const pacote = createRequire(join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'package.json'))('pacote');

/** The real sigstore@2.3.1 tarball from registry.npmjs.org (network required: fails loudly). */
function realSigstoreTarball(dir: string): Buffer {
  execFileSync('npm', ['pack', 'sigstore@2.3.1', '--pack-destination', dir, '--registry', 'https://registry.npmjs.org/', '--silent'], { cwd: dir, timeout: 120_000 });
  return readFileSync(join(dir, 'sigstore-2.3.1.tgz'));
}

describe('AUTHZ-3c: registry signatures and attestations end to end', () => {
  let env: TestRegistry;
  let client: ClientSandbox;
  let proxy: FaultProxy;
  let project = '';

  before(async () => {
    env = await startRegistry(['alice']);
    client = await ClientSandbox.create({ registry: env.reg.url, token: env.users.alice!.token });
    proxy = await startFaultProxy({ target: env.reg.url });
  });
  after(async () => {
    await proxy?.close();
    await client?.close();
    await env?.close();
  });

  const keysOpt = async (registry: string) => {
    const { keys } = await (await fetch(`${env.reg.url}-/npm/v1/keys`)).json() as { keys: Array<{ keyid: string; key: string; expires: string | null }> };
    const u = new URL(registry);
    return { [`//${u.host}${u.pathname}:_keys`]: keys.map((k) => ({ ...k, pemkey: `-----BEGIN PUBLIC KEY-----\n${k.key}\n-----END PUBLIC KEY-----` })) };
  };
  const bulwarkVerify = (path: string, registry: string) =>
    runProcess(process.execPath, [cliBinPath(), 'verify', path, '--registry', registry, '--json'], { cwd: path, env: { PATH: process.env.PATH ?? '' }, timeoutMs: 120_000 });

  test('AUTHZ-3c: npm publish + npm install from Bulwark; pacote (verifySignatures) and bulwark verify accept every signature', async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'sig-dep', version: '1.0.0' });
    const dir = await writePackageDir({ name: 'sig-main', version: '1.0.0', dependencies: { 'sig-dep': '^1.0.0' } }, join(client.root, 'src', 'sig-main'));
    assertOk(await client.npm(['publish'], { cwd: dir }), 'npm publish sig-main');
    project = await client.project();
    assertOk(await client.npm(['install', 'sig-main'], { cwd: project }), 'npm install sig-main');

    for (const spec of ['sig-main@1.0.0', 'sig-dep@1.0.0']) {
      const manifest = await pacote.manifest(spec, { registry: env.reg.url, fullMetadata: true, verifySignatures: true, cache: client.cache, ...(await keysOpt(env.reg.url)) });
      assert.equal(manifest._signatures.length, 1, spec);
    }
    const r = await bulwarkVerify(project, env.reg.url);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.summary, { total: 2, integrity: 2, signatures: 2, attestations: 0, failed: 0 });
  });

  test('AUTHZ-3c: a tampered signature or integrity is reported by pacote (EINTEGRITYSIGNATURE) and bulwark verify (exit 1)', async () => {
    assert.ok(project, 'needs the install of the first test');
    const doc = await (await fetch(`${env.reg.url}sig-dep`, { headers: { accept: 'application/json' } })).json() as any;
    const text = JSON.stringify(doc).replaceAll(env.reg.origin, proxy.origin);
    const forged = JSON.parse(text);
    const sig = Buffer.from(forged.versions['1.0.0'].dist.signatures[0].sig, 'base64');
    sig.writeUInt8(sig.readUInt8(sig.length - 1) ^ 1, sig.length - 1);
    forged.versions['1.0.0'].dist.signatures[0].sig = sig.toString('base64');
    const rule = proxy.addRule({ name: 'forged-signature', method: 'GET', path: '/sig-dep', respond: { status: 200, headers: { 'content-type': 'application/json' }, body: forged } });
    await assert.rejects(
      pacote.manifest('sig-dep@1.0.0', { registry: proxy.url, fullMetadata: true, verifySignatures: true, preferOnline: true, cache: join(client.root, 'cache-forged'), ...(await keysOpt(proxy.url)) }),
      (err: any) => err.code === 'EINTEGRITYSIGNATURE',
    );
    let r = await bulwarkVerify(project, env.reg.url);
    assert.equal(r.code, 0, 'direct: still fine');
    // The lockfile's resolved URLs name the registry; point the check at the proxy.
    const lock = join(project, 'package-lock.json');
    await writeFile(lock, readFileSync(lock, 'utf8').replaceAll(env.reg.origin, proxy.origin));
    r = await bulwarkVerify(project, proxy.url);
    assert.equal(r.code, 1, r.stdout);
    const bad = JSON.parse(r.stdout).packages.find((p: any) => p.name === 'sig-dep');
    assert.equal(bad.signatures, 'invalid');
    rule.remove();

    const swapped = JSON.parse(text);
    swapped.versions['1.0.0'].dist.integrity = `sha512-${createHash('sha512').update('other bytes').digest('base64')}`;
    proxy.addRule({ name: 'forged-integrity', method: 'GET', path: '/sig-dep', respond: { status: 200, headers: { 'content-type': 'application/json' }, body: swapped } });
    r = await bulwarkVerify(project, proxy.url);
    assert.equal(r.code, 1, r.stdout);
    const report = JSON.parse(r.stdout).packages.find((p: any) => p.name === 'sig-dep');
    assert.equal(report.integrity, 'invalid');
    assert.equal(report.signatures, 'invalid', 'the signature covers the integrity');
    proxy.clearRules();
  });

  test('AUTHZ-3c: bulwark verify checks a real provenance bundle and Bulwark\'s own publish attestation', async () => {
    const work = join(client.root, 'real');
    await mkdir(work, { recursive: true });
    const tarball = realSigstoreTarball(work);
    const bundle = JSON.parse(readFileSync(join(FIXTURES, 'sigstore@2.3.1.attestations.json'), 'utf8')).attestations.find((a: any) => a.predicateType === 'https://slsa.dev/provenance/v1').bundle;
    const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
    const pj = JSON.parse(execFileSync('tar', ['-xzOf', join(work, 'sigstore-2.3.1.tgz'), 'package/package.json'], { encoding: 'utf8' }));
    const data = JSON.stringify(bundle);
    const body = {
      _id: 'sigstore', name: 'sigstore', 'dist-tags': { latest: '2.3.1' }, access: null,
      versions: { '2.3.1': { ...pj, _id: 'sigstore@2.3.1', dist: { integrity, shasum: createHash('sha1').update(tarball).digest('hex') } } },
      _attachments: {
        'sigstore-2.3.1.tgz': { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length },
        'sigstore-2.3.1.sigstore': { content_type: bundle.mediaType, data, length: data.length },
      },
    };
    const put = await putPackage(env.reg.url, 'sigstore', body, env.users.alice!.token);
    assert.equal(put.status, 201, put.text);
    const lockDir = join(work, 'project');
    await mkdir(lockDir, { recursive: true });
    await writeFile(join(lockDir, 'package-lock.json'), JSON.stringify({
      name: 'p', lockfileVersion: 3, requires: true,
      packages: { '': { name: 'p' }, 'node_modules/sigstore': { version: '2.3.1', resolved: `${env.reg.url}sigstore/-/sigstore-2.3.1.tgz`, integrity } },
    }));
    const r = await bulwarkVerify(lockDir, env.reg.url);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).summary, { total: 1, integrity: 1, signatures: 1, attestations: 1, failed: 0 });
    // Under a trusted root without the public-good Fulcio/Rekor the same bundle fails.
    const noPublicGood = await runProcess(process.execPath, [cliBinPath(), 'verify', lockDir, '--registry', env.reg.url, '--json', '--no-public-good'], { cwd: lockDir, env: { PATH: process.env.PATH ?? '' }, timeoutMs: 120_000 });
    assert.equal(noPublicGood.code, 1, noPublicGood.stdout);
    assert.equal(JSON.parse(noPublicGood.stdout).packages[0].attestations, 'invalid');
  });

  test('AUTHZ-3c: bulwark admin keys rotate: the old key gets expires, every version gains a new-key signature, old signatures still verify', async () => {
    const before = await (await fetch(`${env.reg.url}-/npm/v1/keys`)).json() as any;
    assert.equal(before.keys.length, 1);
    const rotated = await env.reg.cli(['admin', 'keys', 'rotate', '--grace-days', '0']);
    assertOk(rotated, 'bulwark admin keys rotate');
    await env.reg.restart();
    const after = await (await fetch(`${env.reg.url}-/npm/v1/keys`)).json() as any;
    assert.equal(after.keys.length, 2);
    assert.ok(after.keys.find((k: any) => k.keyid === before.keys[0].keyid).expires, 'the old key has an expiry');
    assert.equal(after.keys.find((k: any) => k.keyid === rotated.stdout.trim()).expires, null);
    const manifest = await pacote.manifest('sig-dep@1.0.0', { registry: env.reg.url, fullMetadata: true, verifySignatures: true, preferOnline: true, cache: join(client.root, 'cache-rotated'), ...(await keysOpt(env.reg.url)) });
    assert.deepEqual(manifest._signatures.map((s: any) => s.keyid).sort(), after.keys.map((k: any) => k.keyid).sort());
  });
});
