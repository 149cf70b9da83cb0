import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';
import { createPrivateSigstore, type PrivateSigstore } from '../provenance/private-sigstore.js';
import { buildTrustMaterial } from '../../src/services/provenance/trust.js';
import { verifyBundle } from '../../src/services/provenance/verify-bundle.js';

describe('AUTHZ-3c: provenance from a private Sigstore (own Fulcio-like CA and Rekor-like log)', () => {
  let sigstore: PrivateSigstore;
  let rootFile: string;
  let dir: string;
  const registries: InProcessRegistry[] = [];

  before(async () => {
    sigstore = await createPrivateSigstore();
    dir = await mkdtemp(join(tmpdir(), 'bulwark-private-root-'));
    rootFile = join(dir, 'acme-trusted-root.json');
    await writeFile(rootFile, JSON.stringify(sigstore.trustedRoot));
  });
  after(async () => {
    for (const r of registries) await r.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function attempt(config: Record<string, unknown>, version: string, name = 'acme-widget') {
    const reg = await inProcessRegistry(config);
    registries.push(reg);
    const token = await reg.user('acme');
    const { body, tarball } = publishBody({ name, version, access: 'public' });
    const bundle = await sigstore.signProvenance({
      name, version, sha512: createHash('sha512').update(tarball).digest('hex'),
      repository: 'acme/widget', workflow: '.github/workflows/release.yml', ref: 'refs/tags/v1.0.0', commit: 'a'.repeat(40),
    });
    const data = JSON.stringify(bundle);
    (body._attachments as Record<string, unknown>)[`${name}-${version}.sigstore`] = { content_type: bundle.mediaType, data, length: data.length };
    const res = await reg.app.inject({ method: 'PUT', url: `/${name.replace('/', '%2f')}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    return { reg, res, tarball };
  }

  test('AUTHZ-3c: with the private trusted root configured the publish verifies and the panel shows the build', async () => {
    const { reg, res } = await attempt({ provenance: { trustedRoots: [rootFile], rekorSearchUrl: 'https://rekor.acme.test/?logIndex=' } }, '1.0.0');
    assert.equal(res.statusCode, 201, res.body);
    const panel = (await reg.app.inject({ url: '/-/bulwark/v1/provenance/acme-widget@1.0.0' })).json();
    assert.equal(panel.status, 'verified');
    assert.equal(panel.provenance.sourceRepository, 'https://github.com/acme/widget');
    assert.equal(panel.provenance.sourceCommit, 'a'.repeat(40));
    assert.equal(panel.provenance.workflowPath, '.github/workflows/release.yml');
    assert.equal(panel.provenance.runnerEnvironment, 'self-hosted');
    assert.match(panel.provenance.transparencyLog.url, /^https:\/\/rekor\.acme\.test\/\?logIndex=\d+$/);
  });

  test('AUTHZ-3c: the same kind of bundle is refused under the public-good root only (E_PROVENANCE_INVALID), nothing stored', async () => {
    const { reg, res } = await attempt({}, '1.0.0');
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'E_PROVENANCE_INVALID');
    assert.equal(await reg.stores.metadata.findPackage('acme-widget'), null);
  });

  test('AUTHZ-3c: with only the private root trusted (publicGood: false) the private bundle still verifies', async () => {
    const { res } = await attempt({ provenance: { publicGood: false, trustedRoots: [rootFile] } }, '1.0.1');
    assert.equal(res.statusCode, 201, res.body);
  });

  test('AUTHZ-3c: a scoped package\'s attestations list Bulwark\'s publish attestation when configured, and it verifies with the registry key', async () => {
    const { reg, res, tarball } = await attempt({ publicUrl: 'https://npm.acme.test', provenance: { trustedRoots: [rootFile], publishAttestationInNpmEndpoint: true } }, '2.0.0', '@acme/gadget');
    assert.equal(res.statusCode, 201, res.body);
    const dist = (await reg.app.inject({ url: '/@acme%2fgadget' })).json().versions['2.0.0'].dist;
    assert.equal(dist.attestations.url, 'https://npm.acme.test/-/npm/v1/attestations/@acme/gadget@2.0.0');
    const { attestations } = (await reg.app.inject({ url: new URL(dist.attestations.url).pathname })).json();
    assert.deepEqual(attestations.map((a: any) => a.predicateType), ['https://slsa.dev/provenance/v1', 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1']);
    const { keys } = (await reg.app.inject({ url: '/-/npm/v1/keys' })).json();
    const sha512 = createHash('sha512').update(tarball).digest('hex');
    const subject = { name: '@acme/gadget', version: '2.0.0', sha512 };
    const verified = verifyBundle(attestations[1].bundle, subject, buildTrustMaterial([], keys), 'publish');
    assert.equal(verified.keyid, keys[0].keyid);
    assert.equal((verified.statement.subject as any)[0].name, 'pkg:npm/%40acme/gadget@2.0.0');
    assert.deepEqual((verified.statement.predicate as any), { name: '@acme/gadget', version: '2.0.0', registry: 'https://npm.acme.test' });
    // Without the registry key the keyed attestation does not verify.
    assert.throws(() => verifyBundle(attestations[1].bundle, subject, buildTrustMaterial([], []), 'publish'), (err: any) => err.code === 'E_PROVENANCE_INVALID');
  });
});
