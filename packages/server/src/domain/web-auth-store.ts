import type { ApprovalFactor } from './web-otp.js';

export type AccountLinkPurpose = 'verify-email' | 'reset-password' | 'change-email';

export interface AccountSecurityState {
  /** Null: signed up on the web and not confirmed yet. Accounts made by an operator have no row (trusted). */
  readonly emailVerifiedAt: Date | null;
  /** Set when the password was found in a breach list at sign-in: the next sign-in must change it. */
  readonly mustChangePassword: boolean;
}

export interface WebOtpApprovalRecord {
  readonly idHash: string;
  readonly userId: number;
  readonly what: string;
  readonly doneSecretHash: string;
  readonly factor: ApprovalFactor | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly approvedAt: Date | null;
  readonly collectedAt: Date | null;
  /** Only a security key or passkey may approve (a critical package's write, AUTHN-3c). */
  readonly phishingResistant: boolean;
}

/** The web sign-in's own tables (issue 3): account state, mailed links, flows, devices, approvals. */
export interface WebAuthStore {
  accountState(userId: number): Promise<AccountSecurityState | null>;
  setEmailVerified(userId: number, at: Date | null): Promise<void>;
  setMustChangePassword(userId: number, value: boolean): Promise<void>;
  findUserIdByEmail(email: string): Promise<number | null>;

  /** `newEmail` goes with a 'change-email' link: the address the link confirms. */
  insertLink(link: { secretHash: string; userId: number; purpose: AccountLinkPurpose; createdAt: Date; expiresAt: Date; newEmail?: string }): Promise<void>;
  /** Uses a live 'change-email' link once: its user and the address it confirms (atomic). */
  useEmailChangeLink(secretHash: string, now: Date): Promise<{ userId: number; newEmail: string } | null>;
  setUserEmail(userId: number, email: string, at: Date): Promise<void>;
  /** Marks a live, unused link used and returns its user; null when unknown, used or expired (atomic). */
  useLink(secretHash: string, purpose: AccountLinkPurpose, now: Date): Promise<number | null>;
  /** Whether the link is live (for showing the form before it is used). */
  peekLink(secretHash: string, purpose: AccountLinkPurpose, now: Date): Promise<number | null>;

  putFlow(keyHash: string, userId: number | null, data: string, expiresAt: Date): Promise<void>;
  getFlow(keyHash: string, now: Date): Promise<{ userId: number | null; data: string } | null>;
  /** Returns and deletes (single use). */
  takeFlow(keyHash: string, now: Date): Promise<{ userId: number | null; data: string } | null>;

  /** True when the device was new for the user (and is now known). */
  rememberDevice(userId: number, deviceHash: string, at: Date): Promise<boolean>;
  countDevices(userId: number): Promise<number>;

  insertApproval(record: WebOtpApprovalRecord): Promise<void>;
  findApproval(idHash: string): Promise<WebOtpApprovalRecord | null>;
  approve(idHash: string, factor: ApprovalFactor, aaguid: string | null, at: Date): Promise<boolean>;
  /** Hands the code out once: sets its hash on an approved, uncollected, live approval. */
  collectApproval(idHash: string, codeHash: string, now: Date): Promise<boolean>;
  /** Burns a code of this user: the factor, or null (unknown, used, expired). */
  consumeApprovalCode(userId: number, codeHash: string, now: Date): Promise<{ factor: ApprovalFactor; aaguid?: string } | null>;
}
