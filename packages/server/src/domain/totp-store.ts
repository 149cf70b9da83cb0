export interface TotpFactorRecord {
  readonly userId: number;
  /** The secret sealed with the key-encryption key (never the plain secret). */
  readonly secretSealed: string;
  readonly createdAt: Date;
  /** Null while enrolment waits for the first code. */
  readonly confirmedAt: Date | null;
  /** The last time step a code was accepted for; a step <= this is refused (AUTHN-1c replay). */
  readonly lastStep: number | null;
}

export interface RecoveryCodeRecord {
  readonly userId: number;
  readonly codeHash: string;
  readonly createdAt: Date;
  readonly usedAt: Date | null;
}

/** TOTP factors and recovery codes. */
export interface TotpStore {
  find(userId: number): Promise<TotpFactorRecord | null>;
  /** Starts (or restarts) enrolment: an unconfirmed factor replaces an unconfirmed one; a confirmed one is kept and this returns false. */
  savePending(userId: number, secretSealed: string, at: Date): Promise<boolean>;
  /** Marks the factor confirmed and records `step` as used (null: none used yet), in one statement. */
  confirm(userId: number, step: number | null, at: Date): Promise<boolean>;
  /**
   * Atomically records `step` as the last accepted one if it is newer than the stored one.
   * True only for the one caller that moved it: two requests with the same code cannot both pass.
   */
  acceptStep(userId: number, step: number): Promise<boolean>;
  remove(userId: number): Promise<boolean>;

  /** Replaces every recovery code of the user. */
  replaceRecoveryCodes(userId: number, codeHashes: readonly string[], at: Date): Promise<void>;
  /** Marks an unused code used; true only for the one caller that burned it. */
  burnRecoveryCode(userId: number, codeHash: string, at: Date): Promise<boolean>;
  countUnusedRecoveryCodes(userId: number): Promise<number>;
}
