import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import { listBlobFiles } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';
import { fixture, publishBodyFor, realTarball } from '../provenance/real-tarballs.js';
import { spkiPem } from '../../src/domain/registry-key-id.js';
import { Accounts } from '../../src/services/accounts.js';
import { systemClock } from '../../src/main.js';

const SLSA_V1 = 'https://slsa.dev/provenance/v1';
const slsaBundle = (file: string) => fixture(file).attestations.find((a: any) => a.predicateType.startsWith('https://slsa.dev/')).bundle;

describe('AUTHZ-3c: publish with provenance, registry signatures and attestations over HTTP', () => {
  let reg: InProcessRegistry;
  let alice: string;

  before(async () => {
    reg = await inProcessRegistry({ publicUrl: 'https://reg.test' });
    alice = await reg.user('alice');
  });
  after(() => reg.close());

  const publish = (token: string, body: Record<string, unknown>, name: string) =>
    reg.app.inject({ method: 'PUT', url: `/${name.replace('/', '%2f')}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });

  test('AUTHZ-3c: GET /-/npm/v1/keys lists one ECDSA P-256 key in npm\'s format', async () => {
    const res = await reg.app.inject({ url: '/-/npm/v1/keys' });
    assert.equal(res.statusCode, 200);
    const { keys } = res.json();
    assert.equal(keys.length, 1);
    assert.deepEqual(Object.keys(keys[0]).sort(), ['expires', 'key', 'keyid', 'keytype', 'scheme']);
    assert.equal(keys[0].keytype, 'ecdsa-sha2-nistp256');
    assert.equal(keys[0].scheme, 'ecdsa-sha2-nistp256');
    assert.equal(keys[0].expires, null);
    assert.match(keys[0].keyid, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  test('AUTHZ-3c: a publish with the real sigstore@2.3.1 tarball and its SLSA v1 bundle (v0.2, inclusion proof) verifies and is served', async () => {
    const { name, version, body } = publishBodyFor(realTarball('sigstore', '2.3.1'), slsaBundle('sigstore@2.3.1.attestations.json'));
    const res = await publish(alice, body, name);
    assert.equal(res.statusCode, 201, res.body);

    const doc = (await reg.app.inject({ url: `/${name}` })).json();
    const dist = doc.versions[version].dist;
    assert.deepEqual(dist.attestations, { url: `https://reg.test/-/npm/v1/attestations/sigstore@2.3.1`, provenance: { predicateType: SLSA_V1 } });
    // dist.signatures verify with the served key over NAME@VERSION:INTEGRITY (what npm audit signatures checks).
    const { keys } = (await reg.app.inject({ url: '/-/npm/v1/keys' })).json();
    assert.equal(dist.signatures.length, 1);
    const key = keys.find((k: any) => k.keyid === dist.signatures[0].keyid);
    const verifier = createVerify('SHA256').update(`${name}@${version}:${dist.integrity}`);
    assert.ok(verifier.verify(spkiPem(key.key), dist.signatures[0].sig, 'base64'));
    const corgi = (await reg.app.inject({ url: `/${name}`, headers: { accept: 'application/vnd.npm.install-v1+json' } })).json();
    assert.deepEqual(corgi.versions[version].dist.signatures, dist.signatures);

    const att = await reg.app.inject({ url: '/-/npm/v1/attestations/sigstore@2.3.1' });
    assert.equal(att.statusCode, 200);
    assert.deepEqual(att.json().attestations.map((a: any) => a.predicateType), [SLSA_V1]);
    assert.deepEqual(att.json().attestations[0].bundle, slsaBundle('sigstore@2.3.1.attestations.json'));

    const all = (await reg.app.inject({ url: '/-/bulwark/v1/attestations/sigstore@2.3.1' })).json();
    assert.deepEqual(all.attestations.map((a: any) => a.predicateType), [SLSA_V1, 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1']);
    assert.equal(all.attestations[1].bundle.dsseEnvelope.signatures[0].keyid, key.keyid);

    const panel = (await reg.app.inject({ url: '/-/bulwark/v1/provenance/sigstore@2.3.1' })).json();
    assert.equal(panel.status, 'verified');
    assert.equal(panel.provenance.sourceRepository, 'https://github.com/sigstore/sigstore-js');
    assert.equal(panel.provenance.workflowPath, '.github/workflows/release.yml');
    assert.equal(panel.provenance.sourceRef, 'refs/heads/main');
    assert.match(panel.provenance.sourceCommit, /^[0-9a-f]{40}$/);
    assert.equal(panel.provenance.buildTrigger, 'push');
    assert.equal(panel.provenance.runnerEnvironment, 'github-hosted');
    assert.equal(panel.provenance.transparencyLog.logIndex, '94408136');
    assert.equal(panel.provenance.transparencyLog.url, 'https://search.sigstore.dev/?logIndex=94408136');
    assert.equal(panel.attestationsUrl, 'https://reg.test/-/npm/v1/attestations/sigstore@2.3.1');

    // The web UI's provenance panel (attestations style guide, level A) shows the same facts.
    const html = (await reg.app.inject({ url: '/-/ui/package/sigstore/v/2.3.1' })).body;
    assert.match(html, /<details class="panel" id="provenance" open>/);
    assert.match(html, /<span class="badge good">verified<\/span>/);
    assert.match(html, /href="https:\/\/github.com\/sigstore\/sigstore-js"/);
    assert.match(html, /\.github\/workflows\/release\.yml/);
    assert.match(html, /entry 94408136/);
  });

  test('AUTHZ-3c: a version without provenance is signed, has no dist.attestations and its panel says "none"', async () => {
    const { name, version, body } = publishBodyFor(realTarball('sigstore', '1.3.0'));
    assert.equal((await publish(alice, body, name)).statusCode, 201);
    const dist = (await reg.app.inject({ url: `/${name}` })).json().versions[version].dist;
    assert.equal(dist.attestations, undefined);
    assert.equal(dist.signatures.length, 1);
    assert.equal((await reg.app.inject({ url: `/-/npm/v1/attestations/sigstore@${version}` })).statusCode, 404);
    assert.deepEqual((await reg.app.inject({ url: `/-/bulwark/v1/provenance/sigstore@${version}` })).json(), { name, version, status: 'none' });
  });

  test('AUTHZ-3c: a tarball whose digest differs from the bundle subject is refused and nothing is stored', async () => {
    const blobsBefore = await listBlobFiles(reg.dataDir);
    const { name, version, body } = publishBodyFor(realTarball('sigstore', '1.0.0'), slsaBundle('sigstore@0.4.0.attestations.json'));
    const res = await publish(alice, body, name);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'E_PROVENANCE_SUBJECT_MISMATCH');
    assert.equal(await reg.stores.metadata.findVersion(name, version), null);
    assert.deepEqual(await listBlobFiles(reg.dataDir), blobsBefore);
    // Same name and version but someone else's tarball bytes: the digest check refuses it too.
    const other = publishBodyFor(realTarball('sigstore', '1.0.0'), slsaBundle('sigstore@1.0.0.attestations.json'));
    const tampered = JSON.parse(JSON.stringify(slsaBundle('sigstore@1.0.0.attestations.json')));
    tampered.dsseEnvelope.signatures[0].sig = Buffer.from('not a signature').toString('base64');
    const bad = publishBodyFor(realTarball('sigstore', '1.0.0'), tampered);
    assert.equal((await publish(alice, bad.body, name)).json().code, 'E_PROVENANCE_INVALID');
    assert.equal((await publish(alice, other.body, name)).statusCode, 201);
  });

  test('AUTHZ-3c: trusted publishing binding: a bundle from another repository, workflow or ref than the token\'s publisher is refused (E_PROVENANCE_MISMATCH)', async () => {
    const accounts = new Accounts({ store: reg.stores.metadata, clock: systemClock, registration: 'closed' });
    const bob = await accounts.createUser({ name: 'bob', email: 'bob@example.com', password: 'bob-password-123', isAdmin: false });
    const issue = async (trustedPublisher: any) => (await accounts.issueToken(bob.id, { packages: ['tuf-js'], trustedPublisher })).token;
    const { name, body } = publishBodyFor(realTarball('tuf-js', '1.0.0'), slsaBundle('tuf-js@1.0.0.attestations.json'));
    const attempts = [
      { provider: 'github', repository: 'evil/tuf-js', workflow: 'publish.yml' },
      { provider: 'github', repository: 'theupdateframework/tuf-js', workflow: 'other.yml' },
      { provider: 'github', repository: 'theupdateframework/tuf-js', workflow: 'publish.yml', ref: 'refs/heads/main' },
    ];
    for (const publisher of attempts) {
      const res = await publish(await issue(publisher), body, name);
      assert.equal(res.statusCode, 403, JSON.stringify(publisher));
      assert.equal(res.json().code, 'E_PROVENANCE_MISMATCH');
    }
    assert.equal(await reg.stores.metadata.findVersion(name, '1.0.0'), null);
    const ok = await publish(await issue({ provider: 'github', repository: 'theupdateframework/tuf-js', workflow: '.github/workflows/publish.yml', ref: 'refs/tags/v1.0.0' }), body, name);
    assert.equal(ok.statusCode, 201, ok.body);
  });

  test('AUTHZ-3c: a package set to require provenance refuses a version without it (E_PROVENANCE_REQUIRED)', async () => {
    await reg.stores.provenance.setRequireProvenance('sigstore', true);
    const { name, body } = publishBodyFor(realTarball('sigstore', '0.4.0'));
    const res = await publish(alice, body, name);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'E_PROVENANCE_REQUIRED');
    const withProvenance = publishBodyFor(realTarball('sigstore', '0.4.0'), slsaBundle('sigstore@0.4.0.attestations.json'));
    assert.equal((await publish(alice, withProvenance.body, name)).statusCode, 201);
  });
});
