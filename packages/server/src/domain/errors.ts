/**
 * The one error type of the registry. Callers branch on `code`, never on message text.
 * The HTTP status and the body the npm CLI prints are decided by `error-table.ts`.
 */
export type ErrorCode =
  | 'E_BAD_REQUEST'
  | 'E_INVALID_JSON'
  | 'E_INVALID_NAME'
  | 'E_INVALID_VERSION'
  | 'E_INVALID_PACKAGE'
  | 'E_INTEGRITY_MISMATCH'
  | 'E_TARBALL_INVALID'
  | 'E_TARBALL_UNSAFE'
  | 'E_MANIFEST_MISMATCH'
  | 'E_BODY_TOO_LARGE'
  | 'E_UNSUPPORTED_MEDIA_TYPE'
  | 'E_AUTH_REQUIRED'
  | 'E_BAD_CREDENTIALS'
  | 'E_TOKEN_INVALID'
  | 'E_FORBIDDEN'
  | 'E_NOT_OWNER'
  | 'E_TOKEN_SCOPE'
  | 'E_REGISTRATION_CLOSED'
  | 'E_PKG_NOT_FOUND'
  | 'E_VERSION_NOT_FOUND'
  | 'E_USER_NOT_FOUND'
  | 'E_NOT_FOUND'
  | 'E_METHOD_NOT_ALLOWED'
  | 'E_VERSION_EXISTS'
  | 'E_USER_EXISTS'
  | 'E_ORG_NOT_FOUND'
  | 'E_ORG_EXISTS'
  | 'E_TEAM_NOT_FOUND'
  | 'E_TEAM_EXISTS'
  | 'E_REV_CONFLICT'
  | 'E_UNPUBLISH_FORBIDDEN'
  | 'E_VERSION_TOMBSTONED'
  | 'E_NAME_DELETED'
  | 'E_PKG_UNPUBLISHED'
  | 'E_POLICY_TYPOSQUAT'
  | 'E_NAME_HELD_FOR_REVIEW'
  | 'E_NAME_PROHIBITED'
  | 'E_RATE_LIMITED'
  | 'E_RECOVERY_LINK_INVALID'
  | 'E_EMAIL_RECOVERY_REFUSED'
  | 'E_PROVENANCE_INVALID'
  | 'E_PROVENANCE_UNSUPPORTED'
  | 'E_PROVENANCE_SUBJECT_MISMATCH'
  | 'E_PROVENANCE_MISMATCH'
  | 'E_PROVENANCE_REQUIRED'
  | 'E_CSRF_INVALID'
  | 'E_SIGNATURE_INVALID'
  | 'E_OIDC_INVALID'
  | 'E_STAGING_REQUIRED'
  | 'E_OIDC_REPLAY'
  | 'E_OIDC_NO_MATCH'
  | 'E_ADVISORY_INVALID'
  | 'E_ADVISORY_NOT_FOUND'
  | 'E_ADVISORY_SOURCE'
  | 'E_PASSWORD_REJECTED'
  | 'E_PASSWORD_BREACHED'
  | 'E_BREACH_CHECK_UNAVAILABLE'
  | 'E_OTP_INVALID'
  | 'E_OTP_REPLAYED'
  | 'E_OTP_OUT_OF_SYNC'
  | 'E_FACTOR_EXISTS'
  | 'E_WEBAUTHN_INVALID'
  | 'E_AUTHENTICATOR_NOT_ALLOWED'
  | 'E_OTP_REQUIRED'
  | 'E_MFA_REQUIRED'
  | 'E_PHISHING_RESISTANT_REQUIRED'
  | 'E_TRUSTED_PUBLISHING_REQUIRED'
  | 'E_EMAIL_NOT_VERIFIED'
  | 'E_EMAIL_DOMAIN_ABANDONED'
  | 'E_LINK_INVALID'
  | 'E_SIGN_IN_EXPIRED'
  | 'E_RECOVERY_REFUSED'
  | 'E_INTERNAL';

export class RegistryError extends Error {
  readonly code: ErrorCode;
  /** Extra response headers the HTTP layer must send (e.g. Retry-After). */
  readonly headers: Readonly<Record<string, string>>;
  /** Extra string fields of the JSON body (e.g. npm's web OTP `authUrl`/`doneUrl`). */
  readonly fields: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; headers?: Record<string, string>; fields?: Record<string, string> }) {
    // Refusals are control flow, and 404s are a hot read path: their stack says nothing a
    // request id does not, so none is captured. A `cause` keeps the stack of a real fault.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = limit;
    this.name = 'RegistryError';
    this.code = code;
    this.headers = options?.headers ?? {};
    this.fields = options?.fields ?? {};
  }
}

export function isRegistryError(err: unknown): err is RegistryError {
  return err instanceof RegistryError;
}
