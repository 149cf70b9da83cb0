import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';
import { createPrivateSigstore, type PrivateSigstore } from '../provenance/private-sigstore.js';

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

  async function attempt(config: Record<string, unknown>, version: string) {
    const reg = await inProcessRegistry(config);
    registries.push(reg);
    const token = await reg.user('acme');
    const { body, tarball } = publishBody({ name: 'acme-widget', version });
    const bundle = await sigstore.signProvenance({
      name: 'acme-widget', version, sha512: createHash('sha512').update(tarball).digest('hex'),
      repository: 'acme/widget', workflow: '.github/workflows/release.yml', ref: 'refs/tags/v1.0.0', commit: 'a'.repeat(40),
    });
    const data = JSON.stringify(bundle);
    (body._attachments as Record<string, unknown>)[`acme-widget-${version}.sigstore`] = { content_type: bundle.mediaType, data, length: data.length };
    const res = await reg.app.inject({ method: 'PUT', url: '/acme-widget', headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    return { reg, res };
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
});
