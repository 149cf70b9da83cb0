import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideProvenanceBinding } from '../../src/policy/provenance-binding.js';
import type { TrustedPublisher } from '../../src/domain/provenance.js';

const publisher: TrustedPublisher = { provider: 'github', repository: 'acme/widget', workflow: 'release.yml', ref: 'refs/tags/v1.2.0' };
const identity = {
  sourceRepositoryUri: 'https://github.com/acme/widget',
  buildConfigUri: 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.2.0',
  sourceRepositoryRef: 'refs/tags/v1.2.0',
};
const decide = (over: Partial<Parameters<typeof decideProvenanceBinding>[0]>) =>
  decideProvenanceBinding({ trustedPublisher: publisher, identity, packageRequiresProvenance: false, packageName: 'widget', ...over });

test('AUTHZ-3c: provenance from the trusted publisher\'s repository, workflow and ref is allowed', () => {
  assert.equal(decide({}).allow, true);
  assert.equal(decide({ trustedPublisher: { ...publisher, workflow: '.github/workflows/release.yml', ref: null } }).allow, true);
  assert.equal(decide({ trustedPublisher: null }).allow, true, 'an ordinary token binds nothing');
});

test('AUTHZ-3c: another repository, workflow or ref is denied with E_PROVENANCE_MISMATCH', () => {
  for (const changed of [
    { ...identity, sourceRepositoryUri: 'https://github.com/evil/widget' },
    { ...identity, buildConfigUri: 'https://github.com/acme/widget/.github/workflows/other.yml@refs/tags/v1.2.0' },
    { ...identity, buildConfigUri: 'https://github.com/evil/widget/.github/workflows/release.yml@refs/tags/v1.2.0' },
    { ...identity, buildConfigUri: 'https://github.com/acme/widget/.github/workflows/not-release.yml@refs/tags/v1.2.0' },
    { ...identity, sourceRepositoryRef: 'refs/heads/main' },
    { sourceRepositoryUri: null, buildConfigUri: null, sourceRepositoryRef: null },
  ]) {
    const d = decide({ identity: changed });
    assert.equal(d.allow, false, JSON.stringify(changed));
    assert.equal(!d.allow && d.code, 'E_PROVENANCE_MISMATCH');
  }
});

test('AUTHZ-3c: a package that requires provenance refuses a version without it (E_PROVENANCE_REQUIRED)', () => {
  const d = decide({ identity: null, packageRequiresProvenance: true });
  assert.equal(!d.allow && d.code, 'E_PROVENANCE_REQUIRED');
  assert.equal(decide({ identity: null }).allow, true);
});
