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
  E_RATE_LIMITED: { status: 429, meaning: 'Too many attempts; wait before trying again.' },
  E_PROVENANCE_INVALID: { status: 400, meaning: 'The Sigstore provenance bundle is malformed or fails verification (signature, certificate chain, transparency-log inclusion, unknown key).' },
  E_PROVENANCE_UNSUPPORTED: { status: 400, meaning: 'The provenance bundle has an unsupported bundle media type, payload type or predicate type (SLSA v0.2 and v1 are accepted).' },
  E_PROVENANCE_SUBJECT_MISMATCH: { status: 400, meaning: 'The provenance in-toto subject is not pkg:npm/NAME@VERSION with the sha512 of the published tarball.' },
  E_PROVENANCE_MISMATCH: { status: 403, meaning: 'The provenance certificate identity (repository, workflow, ref) differs from the trusted publisher that minted the token.' },
  E_PROVENANCE_REQUIRED: { status: 403, meaning: 'This package (or this trusted-publisher token) requires every new version to carry verified provenance.' },
  E_INTERNAL: { status: 500, meaning: 'An unexpected server error; the request id is in the log.' },
};
