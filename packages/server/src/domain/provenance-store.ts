import type { RegistrySignature } from './provenance.js';

/** A registry signing key as stored: the private half sealed under the key-encryption key. */
export interface StoredSigningKey {
  /** `SHA256:<base64 sha256 of the SPKI DER>` */
  readonly keyid: string;
  /** base64 SPKI DER (the `key` field of /-/npm/v1/keys). */
  readonly publicKey: string;
  readonly sealedPrivateKey: string;
  readonly createdAt: Date;
  /** After this instant the key signs nothing new and verifiers refuse signatures dated later. */
  readonly expiresAt: Date | null;
}

export interface UnsignedVersion {
  readonly name: string;
  readonly version: string;
  readonly integrity: string;
  readonly signatures: readonly RegistrySignature[];
}

/** AUTHZ-3c persistence beside MetadataOps: signing keys, per-package settings, signature backfill. */
export interface ProvenanceStore {
  listSigningKeys(): Promise<StoredSigningKey[]>;
  insertSigningKey(key: StoredSigningKey): Promise<void>;
  setSigningKeyExpiry(keyid: string, expiresAt: Date): Promise<void>;
  /** Versions with no signature by this key (oldest first). */
  listVersionsNotSignedBy(keyid: string, limit: number): Promise<UnsignedVersion[]>;
  setVersionSignatures(name: string, version: string, signatures: readonly RegistrySignature[]): Promise<void>;
  requiresProvenance(name: string): Promise<boolean>;
  setRequireProvenance(name: string, required: boolean): Promise<void>;
}
