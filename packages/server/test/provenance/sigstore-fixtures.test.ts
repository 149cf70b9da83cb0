import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrustMaterial, type RegistryPublicKey } from '../../src/services/provenance/trust.js';
import { verifyBundle, summarize } from '../../src/services/provenance/verify-bundle.js';
import { NPM_PUBLISH_PREDICATE } from '../../src/domain/provenance.js';
import { isRegistryError } from '../../src/domain/errors.js';
import { FIXTURES, fixture, realTarball, sha512Hex } from './real-tarballs.js';

const publicGood = fixture('trusted_root.public-good.json');
/** npm's registry keys (they sign npm's publish attestations), in /-/npm/v1/keys form. */
const npmKeys: RegistryPublicKey[] = fixture('registry.npmjs.org-keys.json').keys.map((k: any) => ({ keyid: k.keyId, key: k.publicKey.rawBytes, expires: k.publicKey.validFor.end ?? null }));
const trust = buildTrustMaterial([publicGood], npmKeys);

function hexOfIntegrity(integrity: string): string {
  return Buffer.from(integrity.replace(/^sha512-/, ''), 'base64').toString('hex');
}

/** Verifies every bundle of an npm attestations document (as npm serves it) for one version. */
function verifyDocument(doc: { attestations: Array<{ predicateType: string; bundle: unknown }> }, name: string, version: string, sha512: string) {
  return doc.attestations.map((a) => verifyBundle(a.bundle, { name, version, sha512 }, trust, a.predicateType === NPM_PUBLISH_PREDICATE ? 'publish' : 'provenance'));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isRegistryError(err)) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('AUTHZ-3c: real Sigstore bundles from npm, verified against the public-good root', () => {
  // Tarballs still on registry.npmjs.org: fetched with npm pack at test time and hashed here.
  for (const [name, version] of [['sigstore', '0.4.0'], ['sigstore', '1.0.0'], ['sigstore', '2.3.1'], ['tuf-js', '1.0.0']] as const) {
    test(`AUTHZ-3c: ${name}@${version}: SLSA provenance and npm publish attestation verify against the real tarball`, () => {
      const sha512 = sha512Hex(realTarball(name, version));
      const verified = verifyDocument(fixture(`${name}@${version}.attestations.json`), name, version, sha512);
      const provenance = verified.find((v) => v.predicateType.startsWith('https://slsa.dev/provenance/'))!;
      assert.ok(provenance.identity?.san?.startsWith(`https://github.com/`), 'keyless: a Fulcio certificate for a GitHub workflow');
      const summary = summarize(provenance, 'https://search.sigstore.dev/?logIndex=');
      assert.match(summary.sourceRepository ?? '', /^https:\/\/github\.com\/(sigstore\/sigstore-js|theupdateframework\/tuf-js)$/);
      assert.match(summary.sourceCommit ?? '', /^[0-9a-f]{40}$/);
      assert.match(summary.workflowPath ?? '', /^\.github\/workflows\/.+\.yml$/);
      assert.ok(summary.transparencyLog && /^\d+$/.test(summary.transparencyLog.logIndex));
      assert.equal(verified.find((v) => v.predicateType === NPM_PUBLISH_PREDICATE)!.keyid, 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA');
    });
  }

  test('AUTHZ-3c: sigstore@1.3.0 provenance and publish bundles verify against the real tarball', () => {
    const sha512 = sha512Hex(realTarball('sigstore', '1.3.0'));
    verifyBundle(fixture('sigstore@1.3.0.provenance.bundle.json'), { name: 'sigstore', version: '1.3.0', sha512 }, trust, 'provenance');
    verifyBundle(fixture('sigstore@1.3.0.publish.bundle.json'), { name: 'sigstore', version: '1.3.0', sha512 }, trust, 'publish');
  });

  // Not on the registry any more: the digest of their tarball (fixtures README) stands in.
  for (const [file, name, version, integrity] of [
    ['gundam-visor@1.0.1.attestations.json', 'gundam-visor', '1.0.1', 'sha512-jZ15cvZ2UWx1AUqgdOEa5gTZjwtk7Gclph4oOP89qxYhGPpxQz+zHhVQ0wvQ3snQhs4DK5RFe1g5AMUHrPOcQA=='],
    ['@laurentsimon+provenance-npm-test@1.0.5.attestations.json', '@laurentsimon/provenance-npm-test', '1.0.5', 'sha512-VjvG2Ix8xgkXsTz0g4Rz7upux+oEMPJnKxb0PCpcgsI5lJx8rn/hO747MNBXHD5W3mJKox6kPJjBLx8ZC4p8oA=='],
    ['@trishankatdatadog+supreme-goggles@1.0.5.attestations.json', '@trishankatdatadog/supreme-goggles', '1.0.5', 'sha512-Hi6+znVyUIds3p0PbGNu1uAIiiOmxHf+DNGvzBGAClugyTL0pXoSU3Bj1J1xe7eudriik4s9SOfwJhf2VkrZGQ=='],
  ] as const) {
    test(`AUTHZ-3c: ${name}@${version} (scoped purl %40, SLSA v0.2/v1) verifies against its recorded digest`, () => {
      const verified = verifyDocument(fixture(file), name, version, hexOfIntegrity(integrity));
      assert.equal(verified.length, 2);
    });
  }

  test('AUTHZ-3c: bundle formats v0.1, v0.2, v0.3 (certificate) and v0.3 (legacy media type) all verify', () => {
    const sha512 = sha512Hex(realTarball('sigstore', '1.0.0'));
    for (const file of readdirSync(join(FIXTURES, 'format-variants'))) {
      const verified = verifyBundle(fixture(`format-variants/${file}`), { name: 'sigstore', version: '1.0.0', sha512 }, trust, 'publish');
      assert.equal(verified.identity?.san, 'brian@dehamer.com', file);
    }
  });

  test('AUTHZ-3c: a bundle checked against another package or another tarball is refused (E_PROVENANCE_SUBJECT_MISMATCH)', () => {
    const doc = fixture('sigstore@1.0.0.attestations.json');
    const sha512 = sha512Hex(realTarball('sigstore', '1.0.0'));
    assert.equal(codeOf(() => verifyDocument(doc, 'sigstore', '1.0.1', sha512)), 'E_PROVENANCE_SUBJECT_MISMATCH');
    assert.equal(codeOf(() => verifyDocument(doc, 'sigstore', '1.0.0', sha512Hex(realTarball('sigstore', '0.4.0')))), 'E_PROVENANCE_SUBJECT_MISMATCH');
  });

  test('AUTHZ-3c: a real bundle is refused under a trusted root that does not hold its Fulcio and Rekor', () => {
    const sha512 = sha512Hex(realTarball('sigstore', '2.3.1'));
    const bundle = fixture('sigstore@2.3.1.attestations.json').attestations.find((a: any) => a.predicateType === 'https://slsa.dev/provenance/v1').bundle;
    const empty = buildTrustMaterial([{ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] }]);
    assert.throws(() => verifyBundle(bundle, { name: 'sigstore', version: '2.3.1', sha512 }, empty), (err: any) => err.code === 'E_PROVENANCE_INVALID');
  });

  // Every negative fixture, and the code it must be refused with.
  const expected: Record<string, string> = {
    'gundam-visor@1.0.1.invalidsig-provenance.attestations.json': 'E_PROVENANCE_INVALID',
    'gundam-visor@1.0.1.invalidsig-publish.attestations.json': 'E_PROVENANCE_INVALID',
    'sigstore@0.4.0.invalid.attestations.json': 'E_PROVENANCE_INVALID',
    'sigstore@0.4.0.malformed-subject.attestations.json': 'E_PROVENANCE_SUBJECT_MISMATCH',
    'sigstore@0.4.0.mismatched-keyid.attestations.json': 'E_PROVENANCE_INVALID',
    'sigstore@0.4.0.mismatched-subject-digest.attestations.json': 'E_PROVENANCE_SUBJECT_MISMATCH',
    'sigstore@0.4.0.mismatched-subject-name.attestations.json': 'E_PROVENANCE_SUBJECT_MISMATCH',
    'sigstore@0.4.0.no-keyid.attestations.json': 'E_PROVENANCE_INVALID',
    'sigstore@0.4.0.unsupported.attestations.json': 'E_PROVENANCE_UNSUPPORTED',
  };
  for (const file of readdirSync(join(FIXTURES, 'negative'))) {
    test(`AUTHZ-3c: negative/${file} is refused with ${expected[file] ?? '(no expectation!)'}`, () => {
      assert.ok(expected[file], `add an expectation for ${file}`);
      const [name, version] = file.startsWith('gundam') ? ['gundam-visor', '1.0.1'] : ['sigstore', '0.4.0'];
      const sha512 = name === 'sigstore' ? sha512Hex(realTarball(name, version)) : hexOfIntegrity('sha512-jZ15cvZ2UWx1AUqgdOEa5gTZjwtk7Gclph4oOP89qxYhGPpxQz+zHhVQ0wvQ3snQhs4DK5RFe1g5AMUHrPOcQA==');
      assert.equal(codeOf(() => verifyDocument(fixture(`negative/${file}`), name, version, sha512)), expected[file]);
    });
  }
});
