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

/** One trusted root as verification material; an SCT is required only where the root lists CT logs. */
export interface TrustAnchor {
  readonly material: TrustMaterial;
  readonly requireSct: boolean;
}

/**
 * Trust for provenance checks: each Sigstore trusted root (public-good and/or a company's own
 * Fulcio, Rekor, CT log and TSA) on its own, so a bundle must chain entirely within one root, plus
 * registry keys for keyed publish attestations.
 */
export function buildTrustMaterial(trustedRoots: readonly unknown[], registryKeys: readonly RegistryPublicKey[] = []): TrustAnchor[] {
  const keyFinder = (hint: string) => {
    const found = registryKeys.find((k) => k.keyid === hint);
    if (!found) throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `no registry key with keyid ${hint}` });
    const expires = found.expires === null ? null : Date.parse(found.expires);
    return { publicKey: createPublicKey(spkiPem(found.key)), validFor: (date: Date) => expires === null || date.getTime() < expires };
  };
  const roots: TrustedRoot[] = trustedRoots.length > 0
    ? trustedRoots.map((json) => TrustedRoot.fromJSON(json))
    : [{ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] }];
  return roots.map((root) => ({ material: toTrustMaterial(root, keyFinder), requireSct: root.ctlogs.length > 0 }));
}
