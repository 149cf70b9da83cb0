import { dsse } from '@sigstore/core';
import { NPM_PUBLISH_PREDICATE, purlOf } from '../../domain/provenance.js';
import type { RegistrySigning } from '../registry-signing.js';

const IN_TOTO = 'application/vnd.in-toto+json';

/**
 * Bulwark's own publish attestation (npm's publish predicate v0.1): a DSSE envelope over an
 * in-toto statement naming the tarball, signed with the registry key. The bundle carries the key
 * hint instead of a Fulcio certificate and no Rekor entry (the registry's event log records it).
 */
export function createPublishAttestation(signing: RegistrySigning, input: { name: string; version: string; sha512: string; registry: string }): Record<string, unknown> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v0.1',
    subject: [{ name: purlOf(input.name, input.version), digest: { sha512: input.sha512 } }],
    predicateType: NPM_PUBLISH_PREDICATE,
    predicate: { name: input.name, version: input.version, registry: input.registry },
  };
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const signature = signing.signBytes(dsse.preAuthEncoding(IN_TOTO, payload));
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: signature.keyid }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
    dsseEnvelope: { payload: payload.toString('base64'), payloadType: IN_TOTO, signatures: [{ sig: signature.sig, keyid: signature.keyid }] },
  };
}
