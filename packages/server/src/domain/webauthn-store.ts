export type AuthenticatorTransport = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb';

/** One registered WebAuthn credential: a security key (second factor) or a passkey (AUTHN-2b, 3a). */
export interface WebAuthnCredentialRecord {
  /** The credential id, base64url. */
  readonly id: string;
  readonly userId: number;
  /** A label the user chose. */
  readonly name: string;
  /** COSE public key, base64url. */
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly AuthenticatorTransport[];
  /** The authenticator model (AAGUID, lower-case UUID; all zeros when not attested). */
  readonly aaguid: string;
  /** A resident key usable for usernameless sign-in (passkey). */
  readonly discoverable: boolean;
  readonly backupEligible: boolean;
  readonly backedUp: boolean;
  /** The authenticator verified the user (PIN, biometrics) at registration. */
  readonly userVerified: boolean;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface WebAuthnCredentialStore {
  /** False when the id is taken (credential ids are unique across users). */
  insert(credential: WebAuthnCredentialRecord): Promise<boolean>;
  find(id: string): Promise<WebAuthnCredentialRecord | null>;
  listForUser(userId: number): Promise<WebAuthnCredentialRecord[]>;
  /** Moves the signature counter forward only: false when `counter` is not above the stored one (a cloned key). */
  updateCounter(id: string, counter: number, backedUp: boolean, at: Date): Promise<boolean>;
  remove(userId: number, id: string): Promise<boolean>;
}
