#!/usr/bin/env node
// AUTHZ-3c cost per publish: verifying a real provenance bundle (sigstore@2.3.1, SLSA v1, inclusion
// proof + checkpoint; and sigstore@1.0.0, v0.1 with SET) against the public-good root, signing
// NAME@VERSION:INTEGRITY, and Bulwark's publish attestation. Run after `npm run build`:
//   node bench/provenance.mjs [iterations]
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildTrustMaterial, RegistrySigning, verifyBundle } from '../packages/server/dist/src/index.js';

const iterations = Number(process.argv[2] ?? 500);
const F = new URL('../../shared/fixtures/sigstore/', import.meta.url);
const trust = buildTrustMaterial([JSON.parse(readFileSync(new URL('trusted_root.public-good.json', F)))]);

function measure(label, fn) {
  for (let i = 0; i < 20; i++) fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const perOp = (performance.now() - start) / iterations;
  console.log(`${label.padEnd(52)} ${perOp.toFixed(3)} ms/op  (${iterations} ops)`);
}

for (const [file, name, version] of [['sigstore@2.3.1.attestations.json', 'sigstore', '2.3.1'], ['sigstore@1.0.0.attestations.json', 'sigstore', '1.0.0']]) {
  const bundle = JSON.parse(readFileSync(new URL(file, F))).attestations.find((a) => a.predicateType.startsWith('https://slsa.dev/')).bundle;
  const sha512 = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64')).subject[0].digest.sha512;
  measure(`verify ${name}@${version} provenance (${bundle.mediaType.split(/[=.]/).slice(-2).join('.')})`, () => verifyBundle(bundle, { name, version, sha512 }, trust));
}
const store = { keys: [], async listSigningKeys() { return this.keys; }, async insertSigningKey(k) { this.keys.push(k); } };
const signing = new RegistrySigning({ store, kek: randomBytes(32), clock: { now: () => new Date() } });
await signing.init();
measure('sign NAME@VERSION:INTEGRITY (ECDSA P-256)', () => signing.signVersion('left-pad', '1.0.0', `sha512-${randomBytes(64).toString('base64')}`));
