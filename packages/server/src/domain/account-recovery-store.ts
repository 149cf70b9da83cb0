/** A single-use recovery link; only the SHA-256 of its secret is stored. */
export interface RecoveryLinkRecord {
  readonly tokenHash: string;
  readonly userId: number;
  /** The address it was mailed to. */
  readonly email: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

/** What operator-assisted recovery (AUTHN-1b) changes on an account, beside the factor stores. */
export interface AccountRecoveryStore {
  /** Clears the password: nobody signs in with it again until the reset link is used. */
  clearPassword(userId: number, at: Date): Promise<void>;
  setEmail(userId: number, email: string, at: Date): Promise<void>;
  insertLink(link: RecoveryLinkRecord): Promise<void>;
  /** Marks the link used if it is live (unused, unexpired) and returns it; null otherwise. Atomic. */
  consumeLink(tokenHash: string, at: Date): Promise<RecoveryLinkRecord | null>;
  /** The link if it is live, without spending it. */
  findLiveLink(tokenHash: string, at: Date): Promise<RecoveryLinkRecord | null>;
  /** Earlier unused links of the user stop working when a new recovery starts. */
  expireLinksOf(userId: number, at: Date): Promise<void>;
}
