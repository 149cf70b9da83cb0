import { createPublicKey } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, VerificationError, type TrustMaterial } from '@sigstore/verify';
import { spkiPem } from '../../domain/registry-key-id.js';

/** A registry key as /-/npm/v1/keys lists it (keyid, base64 SPKI, expires). */
export interface RegistryPublicKey {
  readonly keyid: string;
  readonly key: string;
  readonly expires: string | null;
}

/**
 * Trust for provenance checks: one or more Sigstore trusted roots (public-good and/or a
 * company's own Fulcio, Rekor, CT log and TSA), merged, plus registry keys for the keyed
 * publish attestations.
 */
export function buildTrustMaterial(trustedRoots: readonly unknown[], registryKeys: readonly RegistryPublicKey[] = []): TrustMaterial {
  const roots = trustedRoots.map((json) => TrustedRoot.fromJSON(json));
  const merged: TrustedRoot = {
    mediaType: roots[0]?.mediaType ?? 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: roots.flatMap((r) => r.tlogs),
    certificateAuthorities: roots.flatMap((r) => r.certificateAuthorities),
    ctlogs: roots.flatMap((r) => r.ctlogs),
    timestampAuthorities: roots.flatMap((r) => r.timestampAuthorities),
  };
  return toTrustMaterial(merged, (hint: string) => {
    const found = registryKeys.find((k) => k.keyid === hint);
    if (!found) throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `no registry key with keyid ${hint}` });
    const expires = found.expires === null ? null : Date.parse(found.expires);
    return { publicKey: createPublicKey(spkiPem(found.key)), validFor: (date: Date) => expires === null || date.getTime() < expires };
  });
}
