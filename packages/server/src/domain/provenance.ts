/** AUTHZ-3c data: registry signatures, attestations and what a provenance bundle says. Plain data. */

/** One `dist.signatures` entry: ECDSA P-256 over `NAME@VERSION:INTEGRITY` (npm-registry-api.md 6.2). */
export interface RegistrySignature {
  readonly keyid: string;
  readonly sig: string;
}

/** One entry of `GET /-/npm/v1/attestations/NAME@VERSION`. */
export interface Attestation {
  readonly predicateType: string;
  readonly bundle: unknown;
}

export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const NPM_PUBLISH_PREDICATE = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
export const SUPPORTED_PROVENANCE_PREDICATES: readonly string[] = [SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1];

/** Who built the package, as read from the verified Fulcio certificate and SLSA predicate. */
export interface ProvenanceSummary {
  readonly predicateType: string;
  /** The certificate's SAN, e.g. the workflow URI at a ref, or an e-mail address. */
  readonly signerIdentity: string | null;
  readonly issuer: string | null;
  /** e.g. https://github.com/owner/repo */
  readonly sourceRepository: string | null;
  readonly sourceCommit: string | null;
  readonly sourceRef: string | null;
  /** e.g. .github/workflows/release.yml */
  readonly workflowPath: string | null;
  /** e.g. push, release, workflow_dispatch */
  readonly buildTrigger: string | null;
  /** e.g. github-hosted, self-hosted */
  readonly runnerEnvironment: string | null;
  readonly buildRunUrl: string | null;
  readonly transparencyLog: { readonly logIndex: string; readonly integratedTime: string | null; readonly url: string | null } | null;
}

/** What a version stores once its provenance verified at publish. */
export interface VersionAttestations {
  readonly provenance: ProvenanceSummary;
  /** When the registry verified the bundle (at publish). */
  readonly verifiedAt: string;
  readonly attestations: readonly Attestation[];
}

/**
 * The trusted-publisher configuration (issue 4, OIDC) that minted a token. A publish with such a
 * token must carry provenance whose certificate names the same repository, workflow and ref.
 */
/** The trusted publisher a token was minted for (AUTHZ-3a), defined with trusted publishing. */
export type { TrustedPublisher } from './trusted-publisher.js';

export function purlOf(name: string, version: string): string {
  return `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;
}

export function signedMessage(name: string, version: string, integrity: string): string {
  return `${name}@${version}:${integrity}`;
}
