import type { ErrorCode } from './errors.js';

/**
 * Every error code with its HTTP status and what it means. docs/errors.md is the user-facing
 * copy of this table; a test keeps the two in step.
 */
export const ERROR_TABLE: Readonly<Record<ErrorCode, { status: number; meaning: string }>> = {
  E_BAD_REQUEST: { status: 400, meaning: 'The request is malformed.' },
  E_INVALID_JSON: { status: 400, meaning: 'The request body is not valid JSON.' },
  E_INVALID_NAME: { status: 400, meaning: 'The package name breaks npm naming rules.' },
  E_INVALID_VERSION: { status: 400, meaning: 'The version is not a valid semver version.' },
  E_INVALID_PACKAGE: { status: 400, meaning: 'The publish document is incomplete or inconsistent.' },
  E_INTEGRITY_MISMATCH: { status: 400, meaning: 'The tarball does not match the integrity or shasum the manifest declares.' },
  E_TARBALL_INVALID: { status: 400, meaning: 'The tarball is not a gzip tar with package/package.json.' },
  E_TARBALL_UNSAFE: { status: 400, meaning: 'The tarball has an absolute path, a ".." segment, a link or a special file.' },
  E_MANIFEST_MISMATCH: { status: 400, meaning: 'The manifest sent differs from package/package.json inside the tarball.' },
  E_BODY_TOO_LARGE: { status: 413, meaning: 'The request body or the tarball is over the configured limit.' },
  E_UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'The request body has a content type this endpoint does not take.' },
  E_AUTH_REQUIRED: { status: 401, meaning: 'The endpoint needs credentials and none were sent.' },
  E_BAD_CREDENTIALS: { status: 401, meaning: 'The user name or password is wrong.' },
  E_TOKEN_INVALID: { status: 401, meaning: 'The token is unknown, revoked, expired or malformed.' },
  E_FORBIDDEN: { status: 403, meaning: 'The authenticated user may not do this.' },
  E_NOT_OWNER: { status: 403, meaning: 'Only a maintainer of the package (or the owner of its scope) may change it.' },
  E_TOKEN_SCOPE: { status: 403, meaning: 'The token is not scoped for this package or for writes.' },
  E_REGISTRATION_CLOSED: { status: 403, meaning: 'Self-registration is closed; an operator adds users.' },
  E_PKG_NOT_FOUND: { status: 404, meaning: 'No such package.' },
  E_VERSION_NOT_FOUND: { status: 404, meaning: 'No such version of the package.' },
  E_USER_NOT_FOUND: { status: 404, meaning: 'No such user.' },
  E_NOT_FOUND: { status: 404, meaning: 'No such endpoint or resource.' },
  E_METHOD_NOT_ALLOWED: { status: 405, meaning: 'The endpoint exists but not for this method.' },
  E_VERSION_EXISTS: { status: 409, meaning: 'This version was published before; versions are immutable.' },
  E_USER_EXISTS: { status: 409, meaning: 'A user with this name exists.' },
  E_REV_CONFLICT: { status: 409, meaning: 'The document changed since the revision sent (_rev).' },
  E_UNPUBLISH_FORBIDDEN: { status: 403, meaning: 'Published versions are immutable and are not removed; deprecate instead.' },
  E_POLICY_TYPOSQUAT: { status: 403, meaning: 'The new package name imitates a protected package (GEN-1b); the message names it and how to appeal.' },
  E_NAME_HELD_FOR_REVIEW: { status: 403, meaning: 'The new package name resembles a protected package and waits for an operator to allow it; nothing was published.' },
  E_NAME_PROHIBITED: { status: 403, meaning: 'The package name is on the operator\'s deny-list.' },
  E_RATE_LIMITED: { status: 429, meaning: 'Too many attempts; wait before trying again.' },
  E_INTERNAL: { status: 500, meaning: 'An unexpected server error; the request id is in the log.' },
};
