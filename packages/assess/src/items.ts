import type { ItemId, Track } from './types.js';

export interface ItemInfo {
  readonly id: ItemId;
  readonly track: Track;
  readonly level: 1 | 2 | 3;
  /** The Principles item (paraphrased as in docs/principles IDs). */
  readonly text: string;
  /** What a registry builds to meet it. */
  readonly build: string;
  /** Where other registries did it: sections of the anchors research (anchors.md). */
  readonly references: readonly string[];
  /** Items this one builds on. */
  readonly dependsOn: readonly ItemId[];
}

export const TRACK_NAMES: Record<Track, string> = {
  authn: 'Authentication',
  authz: 'Authorization',
  general: 'General capabilities',
  cli: 'CLI tooling',
};

const A = 'anchors.md';
const item = (id: ItemId, track: Track, level: 1 | 2 | 3, text: string, build: string, references: string[], dependsOn: ItemId[] = []): ItemInfo =>
  ({ id, track, level, text, build, references, dependsOn });

/** The 32 items of the OpenSSF Principles for Package Repository Security, in document order. */
export const ITEMS: readonly ItemInfo[] = [
  item('AUTHN-1a', 'authn', 1, 'Users must verify their email address, so that a lost account can be recovered.',
    'Send a verification link at registration and on email change; refuse publish until verified; report `email_verified` in GET /-/npm/v1/user.',
    [`${A} §1 A1`, `${A} §2 Authentication A1 (PyPI security_policy.py, RubyGems base_controller.rb)`]),
  item('AUTHN-1b', 'authn', 1, 'The account recovery policy is documented (and served).',
    'Write the recovery policy (recovery codes, what proof support accepts) and serve it from the registry, linked from security.txt and the sign-in page.',
    [`${A} §1 A2`, `${A} §3.5 Recovery codes`], ['AUTHN-1a']),
  item('AUTHN-1c', 'authn', 1, 'Strong MFA is supported, TOTP at minimum; SMS/email/phone codes alone do not count.',
    'RFC 6238 TOTP with replay protection; npm profile enable-2fa (POST /-/npm/v1/user tfa) and the 401 WWW-Authenticate: OTP challenge with npm-otp.',
    [`${A} §1 A3`, `${A} §3.3 TOTP`, `${A} §3.14 (2FA protocol)`]),
  item('AUTHN-1d', 'authn', 1, 'Maintainers get an email on critical account security changes (password change, MFA removed, new token, new email, recovery used, ...).',
    'A mail outbox and one security mail per event type (password, 2FA on/off, token created, email changed, recovery used).',
    [`${A} §1 A4`, `${A} §3.7 Email notifications`], ['AUTHN-1a']),
  item('AUTHN-1e', 'authn', 1, 'Brute-force protection on every credential check, second factors included.',
    'Per-account and per-IP throttles on password, token and TOTP checks; lock the second-factor step after five wrong codes; answer 429 with Retry-After.',
    [`${A} §1 A5`, `${A} §3.6 Brute-force limits in use`]),
  item('AUTHN-2a', 'authn', 2, 'Abandoned (expired, re-registrable) email domains are detected, and recovery through such a domain is refused.',
    'A periodic job checks each email domain (RDAP/DNS); unverify addresses on expired domains and refuse recovery through them.',
    [`${A} §1 A6`, `${A} §2 Authentication A6 (PyPI tasks.py, RubyGems verify_user_email_domains_job.rb)`], ['AUTHN-1a']),
  item('AUTHN-2b', 'authn', 2, 'Phishing-resistant MFA (WebAuthn security keys / platform authenticators).',
    'WebAuthn registration and assertion as a second factor, in the web UI and for npm\'s web login flow.',
    [`${A} §1 A7`, `${A} §3.4 WebAuthn`], ['AUTHN-1c']),
  item('AUTHN-2c', 'authn', 2, 'MFA is required for maintainers of critical packages (for example the top 1% by downloads).',
    'Mark critical packages (downloads or dependents) and refuse their publish and owner changes without a second factor (401 WWW-Authenticate: OTP).',
    [`${A} §1 A8`, `${A} §2 Authentication A8 (RubyGems MFA_REQUIRED_THRESHOLD)`], ['AUTHN-1c']),
  item('AUTHN-2d', 'authn', 2, 'Known-leaked passwords (Have I Been Pwned style corpus) are refused at registration and detected at login, with a forced change.',
    'HIBP k-anonymity range check (or an offline mirror) at registration, password change and login; a hit at login forces a reset and sends mail.',
    [`${A} §1 A9`, `${A} §3.2 HIBP k-anonymity`]),
  item('AUTHN-3a', 'authn', 3, 'Passwordless sign-in (passkeys).',
    'Discoverable WebAuthn credentials (passkeys) as a sign-in method; advertise /.well-known/passkey-endpoints.',
    [`${A} §1 A10`, `${A} §3.4 WebAuthn`], ['AUTHN-2b']),
  item('AUTHN-3b', 'authn', 3, 'MFA is required for every maintainer.',
    'Refuse every publish and package-management write without a second factor (or a trusted-publishing token).',
    [`${A} §1 A11`, `${A} §2 Authentication A11 (PyPI _check_for_mfa)`], ['AUTHN-2c']),
  item('AUTHN-3c', 'authn', 3, 'Phishing-resistant MFA is required for maintainers of critical packages (and the operator can require specific, e.g. hardware, authenticators for them).',
    'A per-package policy that accepts only WebAuthn assertions (optionally with an attestation allow-list) for critical packages.',
    [`${A} §1 A12`, `${A} §5 Gaps`], ['AUTHN-2b', 'AUTHN-2c']),
  item('AUTHZ-1a', 'authz', 1, 'Maintainers can create API tokens scoped to specific packages, for automation without the account password.',
    'Granular tokens (POST /-/npm/v1/tokens with packages/scopes, expiry, read-only) enforced on every write.',
    [`${A} §1 Z1`, `${A} §2 Authorization`]),
  item('AUTHZ-1b', 'authz', 1, 'API tokens carry a repository-specific prefix.',
    'Issue tokens as `<registry>_` + random + checksum.',
    [`${A} §1 Z2`, `${A} §3.8 Token format and secret-scanning endpoint`]),
  item('AUTHZ-2a', 'authz', 2, 'Role-based access control: managing people and publishing packages are separate roles.',
    'Organisations with owner/admin/developer roles and teams (npm org / npm team endpoints), where only owners manage people.',
    [`${A} §1 Z3`, `${A} §2 Authorization`], ['AUTHZ-1a']),
  item('AUTHZ-3a', 'authz', 3, 'Short-lived publish tokens are issued in exchange for an OIDC identity token (trusted publishing), so CI needs no long-lived secret.',
    'POST /-/npm/v1/oidc/token/exchange/package/<name> verifying the CI\'s JWT against configured trusted publishers (npm trust), minting a short-lived token.',
    [`${A} §1 Z4`, `${A} §3.9 Trusted publishing (OIDC)`], ['AUTHZ-1a']),
  item('AUTHZ-3b', 'authz', 3, 'Tokens are recognisable by secret scanners (prefix + checksum), and a secret-reporting endpoint revokes a reported live token automatically.',
    'Prefix + CRC32 checksum tokens and a signed secret-report endpoint (GitHub partner protocol) that revokes and emails.',
    [`${A} §1 Z5`, `${A} §3.8 Token format and secret-scanning endpoint`], ['AUTHZ-1b']),
  item('AUTHZ-3c', 'authz', 3, 'Build provenance is accepted, verified and served for packages.',
    'Registry signing keys (/-/npm/v1/keys, dist.signatures), Sigstore provenance verified at publish and served at /-/npm/v1/attestations/<name>@<version>.',
    [`${A} §1 Z6`, `${A} §3.14 npm-compatibility surfaces (signatures, attestations)`], ['AUTHZ-3a']),
  item('GEN-1a', 'general', 1, 'A published vulnerability disclosure policy with legal safe harbour, aiming to remediate within 90 days.',
    'RFC 9116 /.well-known/security.txt with a reachable Contact and a Policy whose text grants safe harbour and commits to 90 days.',
    [`${A} §1 G1`, `${A} §5 Gaps (safe harbour + 90 days found in no anchor)`]),
  item('GEN-1b', 'general', 1, 'Typosquatting of package names is prevented (namespacing, similar-name detection, ...).',
    'Normalised-name collisions blocked and similar names to popular packages refused at publish; a name-availability answer before publishing.',
    [`${A} §1 G2`, `${A} §3.1 Typosquatting detection`]),
  item('GEN-2a', 'general', 2, 'An unpublish policy: a version can never be replaced, and a deleted name/version can never be reused by anyone.',
    'Tombstones per name@version and per tarball hash; a quarantine period on deleted names; a served unpublish policy.',
    [`${A} §1 G3`, `${A} §3.11 Deletion, yank and name reuse`]),
  item('GEN-2b', 'general', 2, 'Anyone can report a package as suspicious or malicious: in the web UI, from the CLI and through the API.',
    'An observations model with an API endpoint, a CLI command and a web form; trusted observers can quarantine.',
    [`${A} §1 G4`, `${A} §3.10 Malware reporting, observations and quarantine`]),
  item('GEN-2c', 'general', 2, 'Malware is detected, including scanning for known malicious code snippets and file hashes.',
    'Scan tarballs at publish (YARA rules, known-bad hashes, the EICAR test string) and quarantine hits.',
    [`${A} §1 G5`, `${A} §3.10`], ['GEN-2b']),
  item('GEN-2d', 'general', 2, 'The web UI warns of known vulnerabilities in a package\'s dependencies.',
    'Advisories (OSV) matched against each version\'s dependency ranges, shown on the package page.',
    [`${A} §1 G6`], ['CLI-2a']),
  item('GEN-3a', 'general', 3, 'Periodic security reviews of the repository\'s infrastructure (and remediations published).',
    'Schedule external audits and publish reports; keep a record of self-assessments (bulwark assess history).',
    [`${A} §1 G7`]),
  item('GEN-3b', 'general', 3, 'An event transparency log is published, so anomalous behaviour can be detected.',
    'An append-only, signed, Merkle-tree event log with checkpoints and inclusion/consistency proofs (/-/tlog/*), or a public changes feed.',
    [`${A} §1 G8`, `${A} §3.12 Event and transparency logs`]),
  item('GEN-3c', 'general', 3, 'Advisories for malicious packages are published in a standard machine-readable format (OSV).',
    'Emit OSV records (MAL- ids) on malware takedown; serve the OSV API (POST /v1/query, GET /v1/vulns/<id>).',
    [`${A} §1 G9`, `${A} §3.13 OSV malicious-package advisories`], ['GEN-2c']),
  item('CLI-1a', 'cli', 1, 'Dependencies can be installed pinned by hash and version.',
    'Serve dist.integrity (sha512) for every version so npm lockfiles pin it; registry signatures let npm verify it.',
    [`${A} §1 L1`]),
  item('CLI-2a', 'cli', 2, 'Installing warns of known vulnerabilities in dependencies.',
    'Serve POST /-/npm/v1/security/advisories/bulk so npm install prints its audit summary.',
    [`${A} §1 L2`, `${A} §3.14 (audit endpoints)`]),
  item('CLI-3a', 'cli', 3, 'The CLI produces SBOMs.',
    'npm sbom works against the registry (needs complete lockfiles: integrity and resolved URLs).',
    [`${A} §1 L3`], ['CLI-1a']),
  item('CLI-3b', 'cli', 3, 'The CLI can remediate known vulnerabilities automatically by upgrading dependencies.',
    'npm audit fix needs the bulk advisory endpoint with patched ranges.',
    [`${A} §1 L4`], ['CLI-2a']),
  item('CLI-3c', 'cli', 3, 'Static analysis of whether a vulnerable code path is reachable cuts false positives.',
    'Advisories carry affected functions (OSV ecosystem_specific / affected symbols) and a tool checks reachability.',
    [`${A} §1 L5`, `${A} §5 Gaps`], ['CLI-2a']),
];

export const ITEM_BY_ID: ReadonlyMap<ItemId, ItemInfo> = new Map(ITEMS.map((i) => [i.id, i]));

export function itemInfo(id: ItemId): ItemInfo {
  const info = ITEM_BY_ID.get(id);
  if (!info) throw new Error(`unknown item ${id}`);
  return info;
}
