/**
 * The contract between the npm OTP challenge (npm-registry-api.md 1.4) and the browser approval
 * behind it: when a write needs a second factor, the 401 body may carry `authUrl`/`doneUrl`; npm
 * opens `authUrl` (a page where the signed-in user approves with a security key, passkey or TOTP),
 * polls `doneUrl`, receives a one-time code and repeats the request with `npm-otp: <code>`.
 */
export type ApprovalFactor = 'totp' | 'recovery-code' | 'security-key' | 'passkey';

/** Prefix of the one-time codes approvals hand out, so the OTP check can tell them from TOTP digits. */
export const WEB_OTP_PREFIX = 'bwa_';

/** What a consumed web approval tells the OTP check. */
export interface WebOtpApproval {
  readonly factor: ApprovalFactor;
  readonly aaguid?: string;
}

export interface WebOtpApprovals {
  /**
   * Starts an approval of `what` (e.g. "publish @acme/core@1.2.0") for this user. URLs are absolute.
   * `phishingResistant`: only a security key or passkey may approve (a critical package, AUTHN-3c).
   */
  start(userId: number, what: string, baseUrl: string, options?: { readonly phishingResistant?: boolean }): Promise<{ readonly authUrl: string; readonly doneUrl: string }>;
  /**
   * Consumes a code presented as `npm-otp`: the factor the user approved with, or null when the
   * code is unknown, already used, expired or another user's. A code works once.
   * `aaguid` (lower-case UUID; WebAuthn factors only) is the approving authenticator's model, for
   * the operator's AAGUID list on critical packages (AUTHN-3c, `auth.criticalAaguids`).
   */
  consume(userId: number, code: string): Promise<WebOtpApproval | null>;
}
