/** The persistent records behind the ports. Plain data, no behaviour. */
import type { TrustedPublisher } from './trusted-publisher.js';
import type { RegistrySignature, VersionAttestations } from './provenance.js';

export interface UserRecord {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly isAdmin: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewUser {
  readonly name: string;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly isAdmin: boolean;
}

export interface TokenRecord {
  readonly id: string;
  readonly userId: number;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  readonly hash: string;
  /** What `npm token list` shows, e.g. `bwk_AbC…x9`. */
  readonly display: string;
  readonly name: string | null;
  readonly readOnly: boolean;
  readonly packages: readonly string[];
  readonly scopes: readonly string[];
  readonly cidrs: readonly string[];
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  /** Organizations the token may manage (with orgsPermission read-write) or read. */
  readonly orgs: readonly string[];
  readonly orgsPermission: 'none' | 'read-only' | 'read-write';
  /** Publishes without a per-request OTP (automation); only granted to MFA-enrolled owners. */
  readonly bypass2fa: boolean;
  readonly description: string | null;
  readonly lastUsedAt: Date | null;
  /** Set when an OIDC trusted-publisher exchange minted the token (AUTHZ-3a). */
  readonly trustedPublisher: TrustedPublisher | null;
}

export interface PackageRecord {
  readonly name: string;
  /** Monotonic document revision; `_rev` is derived from it. */
  readonly rev: number;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
  readonly distTags: Readonly<Record<string, string>>;
  /** Precomputed documents, written at every change (design rule 8). */
  readonly fullDoc: string;
  readonly abbrevDoc: string;
  /** Lower-cased name, description and keywords of the latest version, for search. */
  readonly searchText: string;
}

export interface VersionRecord {
  readonly name: string;
  readonly version: string;
  /** The cleaned manifest as published (no dist, no registry-owned fields). */
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly integrity: string;
  readonly shasum: string;
  /** Key of the tarball in the BlobStore (hex sha512). */
  readonly blobKey: string;
  readonly size: number;
  readonly fileCount: number;
  readonly unpackedSize: number;
  readonly publishedAt: Date;
  readonly publishedBy: number;
  readonly deprecated: string | null;
  /** Index of the version-published entry in the transparency log (GEN-3b). */
  readonly logIndex: number | null;
  /** dist.signatures (AUTHZ-3c); missing or empty until signed. */
  readonly signatures?: readonly RegistrySignature[];
  /** Verified provenance and the publish attestation; null: published without provenance. */
  readonly attestations?: VersionAttestations | null;
}

export interface MaintainerRecord {
  readonly userId: number;
  readonly name: string;
  readonly email: string;
}

export interface WebLoginRecord {
  readonly id: string;
  /** SHA-256 (hex) of the secret in doneUrl, so a database reader cannot poll it. */
  readonly doneSecretHash: string;
  readonly userId: number | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
}

/** A signed checkpoint the log issued: the served note text, with any witness cosignatures. */
export interface CheckpointRecord {
  readonly size: number;
  readonly note: string;
  readonly issuedAt: Date;
}

export interface SearchHit {
  readonly name: string;
  readonly fullDoc: string;
  readonly modifiedAt: Date;
}

/** A signed-in browser. The cookie holds a secret whose SHA-256 is `secretHash`. */
export interface WebSessionRecord {
  /** Public handle (shown on the account page, used to end one session). */
  readonly id: string;
  readonly secretHash: string;
  readonly userId: number;
  /** Authenticator assurance level reached at sign-in: 1 password, 2 with a second factor. */
  readonly aal: 1 | 2;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** Absolute end; idle expiry is computed from lastSeenAt by the service. */
  readonly expiresAt: Date;
  readonly ip: string;
  readonly userAgent: string;
}
