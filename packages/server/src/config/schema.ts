import { Type, type Static } from '@sinclair/typebox';

const MiB = 1024 * 1024;
export const DEFAULT_TARBALL_BYTES = 64 * MiB;

const action = (fallback: 'block' | 'review' | 'allow') => Type.Union([Type.Literal('block'), Type.Literal('review'), Type.Literal('allow')], { default: fallback });

/** Default words attackers add to a popular name (measured in docs/benchmarks.md, "Typosquat guard"). */
export const DEFAULT_SQUAT_AFFIXES = [
  'js', 'node', 'nodejs', 'npm', 'pkg', 'lib', 'libs', 'util', 'utils', 'helper', 'helpers', 'tool', 'tools', 'core', 'sdk', 'api', 'cli', 'dev',
  'es', 'official', 'secure', 'safe', 'fixed', 'fix', 'patch', 'patched', 'latest', 'new', 'updated', 'update', 'pro', 'plus', 'lite', 'v2', 'v3', 'x',
];

const NamesSchema = Type.Object(
  {
    /** Off: every free name may be taken (not recommended). */
    enabled: Type.Boolean({ default: true }),
    /** How many of the imported names (most downloaded first) are protected. */
    protectedTop: Type.Integer({ minimum: 0, maximum: 4_000_000, default: 10_000 }),
    /** How many of this registry's own packages (most dependents first) are protected. */
    registryTop: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 1_000 }),
    /** A registry package joins the corpus with at least this many dependent packages. */
    registryMinDependents: Type.Integer({ minimum: 0, default: 1 }),
    /** Protected names shorter than this get only the collision and confusable rules. */
    minLengthTypo: Type.Integer({ minimum: 1, maximum: 214, default: 5 }),
    /** From this length, edit distance 2 counts as a typo too; 0 = never. */
    minLengthDistance2: Type.Integer({ minimum: 0, maximum: 214, default: 0 }),
    /** A protected name counts inside a longer name (combosquat) from this length. */
    minLengthCombo: Type.Integer({ minimum: 1, maximum: 214, default: 4 }),
    /** The most popular names (this many) also count behind any other word (`bigops-eslint`); 0 = affix words only. */
    combosquatTop: Type.Integer({ minimum: 0, maximum: 4_000_000, default: 1_000 }),
    /** Words that make `<protected>-<word>` / `<word>-<protected>` a combosquat. */
    affixes: Type.Array(Type.String({ pattern: '^[a-z0-9]+$' }), { default: DEFAULT_SQUAT_AFFIXES }),
    /** Seconds between checks whether the corpus changed (import, new packages) and the index needs a rebuild. */
    refreshSeconds: Type.Integer({ minimum: 0, maximum: 86_400, default: 30 }),
    /** How to appeal a refusal, shown in every refusal; null: the security contact. */
    appeal: Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()], { default: null }),
    /** Action per rule. */
    actions: Type.Object(
      {
        collision: action('block'),
        confusable: action('block'),
        omitted: action('block'),
        repeated: action('block'),
        swapped: action('block'),
        keyboard: action('block'),
        visual: action('block'),
        'edit-distance': action('review'),
        permutation: action('block'),
        'combosquat-affix': action('review'),
        combosquat: action('review'),
        scope: action('block'),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { default: {}, additionalProperties: false },
);

/** Every setting, with its default. docs/configuration.md documents the same keys. */
export const ConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4873 }),
    dataDir: Type.String({ minLength: 1, default: './.data' }),
    /** Where the registry is mounted, e.g. `/npm`; segments must not start with a dot. */
    basePath: Type.String({ pattern: '^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?$', default: '/' }),
    /** The URL clients use; tarball URLs are built from it. Null: from each request's Host. */
    publicUrl: Type.Union([Type.String({ pattern: '^https?://[^\\s]+$' }), Type.Null()], { default: null }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    /** closed: operators add users (default); open: `npm adduser` creates accounts. */
    registration: Type.Union([Type.Literal('closed'), Type.Literal('open')], { default: 'closed' }),
    limits: Type.Object(
      {
        bodyBytes: Type.Integer({ minimum: 1024, default: 96 * MiB }),
        tarballBytes: Type.Integer({ minimum: 1024, default: DEFAULT_TARBALL_BYTES }),
        unpackedBytes: Type.Integer({ minimum: 1024, default: 512 * MiB }),
        tarEntries: Type.Integer({ minimum: 1, default: 50_000 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** AUTHZ-3a: CI providers whose ID tokens may be exchanged for publish tokens. */
    trustedPublishing: Type.Object(
      {
        issuers: Type.Array(
          Type.Object({
            type: Type.Union([Type.Literal('github'), Type.Literal('gitlab'), Type.Literal('circleci')]),
            /** The exact `iss`, or a prefix ending in `*`. */
            issuer: Type.String({ pattern: '^https?://\\S+$' }),
          }, { additionalProperties: false }),
          {
            default: [
              { type: 'github', issuer: 'https://token.actions.githubusercontent.com' },
              { type: 'gitlab', issuer: 'https://gitlab.com' },
              { type: 'circleci', issuer: 'https://oidc.circleci.com/org/*' },
            ],
          },
        ),
        /** Lifetime of the publish token an exchange mints. */
        tokenMinutes: Type.Integer({ minimum: 1, maximum: 60, default: 15 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** AUTHZ-3b: secret scanners whose signed reports revoke leaked tokens. */
    secretScanning: Type.Object(
      {
        providers: Type.Array(
          Type.Object({
            name: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
            /** Public keys in GitHub's format: {public_keys: [{key_identifier, key, is_current}]}. */
            keysUrl: Type.String({ pattern: '^https?://\\S+$' }),
          }, { additionalProperties: false }),
          { default: [{ name: 'github', keysUrl: 'https://api.github.com/meta/public_keys/secret_scanning' }] },
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    /** GEN-3b transparency log. */
    tlog: Type.Object(
      {
        /** The log's name (checkpoint origin and key name) when its key is first made; null: from publicUrl. */
        origin: Type.Union([Type.String({ pattern: '^[^\\s+]+$', maxLength: 200 }), Type.Null()], { default: null }),
        /** Where the Ed25519 signer key lives (C2SP note format); null: <dataDir>/tlog-signing.key. Share it between nodes. */
        keyFile: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        /** Seconds between checkpoints; 0 signs a new one whenever a reader asks and the tree grew. */
        checkpointIntervalSeconds: Type.Integer({ minimum: 0, maximum: 86_400, default: 0 }),
        /** C2SP tlog-cosignature verifier keys of witnesses whose cosignatures the log accepts and serves. */
        witnesses: Type.Array(Type.String({ pattern: '^[^\\s+]+\\+[0-9a-f]{8}\\+[A-Za-z0-9+/=]+$' }), { default: [] }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** AUTHZ-3c registry signatures (dist.signatures, /-/npm/v1/keys). */
    signing: Type.Object(
      {
        /** The key-encryption key (32 bytes, base64 or hex) sealing the private signing keys in the database. Prefer the env var. */
        keyEncryptionKey: Type.Union([Type.String({ minLength: 32 }), Type.Null()], { default: null }),
        /** A file holding the key-encryption key; null: <dataDir>/registry-kek.key, created on first start. */
        keyEncryptionKeyFile: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        /** Days an old key stays valid (its `expires`) after `bulwark admin keys rotate`. */
        rotationGraceDays: Type.Integer({ minimum: 0, maximum: 3650, default: 30 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** AUTHZ-3c build provenance (Sigstore bundles). */
    provenance: Type.Object(
      {
        /** Use the bundled Sigstore public-good trusted root (Fulcio, Rekor, CT logs, TSA). */
        publicGood: Type.Boolean({ default: true }),
        /** Extra trusted_root.json files (Sigstore protobuf-specs format), e.g. a company's own Fulcio/Rekor/TSA. */
        trustedRoots: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
        /** Where the transparency-log link of a provenance entry points: <url><logIndex>. */
        rekorSearchUrl: Type.String({ default: 'https://search.sigstore.dev/?logIndex=' }),
        /**
         * Also list Bulwark's own publish attestation in /-/npm/v1/attestations. Off by default: npm verifies every
         * listed bundle against the public-good Rekor, where Bulwark's attestation has no entry (docs/provenance.md).
         */
        publishAttestationInNpmEndpoint: Type.Boolean({ default: false }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** The web UI's browser sessions (NIST 800-63B AAL2 defaults: 30 minutes idle, 12 hours at most). */
    web: Type.Object(
      {
        sessionIdleMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60, default: 30 }),
        sessionMaxHours: Type.Integer({ minimum: 1, maximum: 30 * 24, default: 12 }),
        /** auto: secure (__Host-) cookies when publicUrl is https. */
        secureCookies: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], { default: 'auto' }),
        /** AUTHN-1a: how long the mailed email-verification link works. */
        verifyEmailLinkMinutes: Type.Integer({ minimum: 5, maximum: 7 * 24 * 60, default: 24 * 60 }),
        /** AUTHN-1b: how long the mailed password-reset link works. */
        resetLinkMinutes: Type.Integer({ minimum: 5, maximum: 24 * 60, default: 30 }),
        /** AUTHN-3b: how long a browser approval of an npm write (web OTP) stays usable. */
        otpApprovalMinutes: Type.Integer({ minimum: 1, maximum: 30, default: 5 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** GEN-2a: when owners may unpublish (docs/unpublish-policy.md); defaults are npm's. */
    unpublish: Type.Object(
      {
        /** False: owners cannot unpublish at all; operators still take down. */
        enabled: Type.Boolean({ default: true }),
        /** Hours after publish during which owners may unpublish (if nothing depends on it). */
        windowHours: Type.Number({ minimum: 0, maximum: 8760, default: 72 }),
        /** After the window: allowed only with fewer downloads than this in the last 7 days. */
        maxWeeklyDownloads: Type.Integer({ minimum: 0, default: 300 }),
        /** After the window: allowed only with at most this many owners. */
        maxOwners: Type.Integer({ minimum: 1, default: 1 }),
        /** Hours after a whole-package unpublish before its former owners may publish new versions. */
        nameQuarantineHours: Type.Number({ minimum: 0, maximum: 876_000, default: 24 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Tarball download counting (per package per day). */
    downloads: Type.Object(
      {
        /** Seconds between flushes of the in-memory counters to the database (also flushed on close). */
        flushSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** GEN-2d / CLI-2a: the OSV advisory database behind `npm audit` and the web UI's warnings. */
    advisories: Type.Object(
      {
        sync: Type.Object(
          {
            /** A URL serving OSV records (a zip like osv.dev's npm all.zip, a JSON array or JSON lines); null: no scheduled sync. */
            url: Type.Union([Type.String({ pattern: '^https?://\\S+$' }), Type.Null()], { default: null }),
            /** Minutes between syncs. */
            intervalMinutes: Type.Integer({ minimum: 1, maximum: 10_080, default: 60 }),
          },
          { default: {}, additionalProperties: false },
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    /** GEN-1b typosquat guard; defaults chosen from bench/names-quality.mjs (docs/name-policy.md). */
    names: NamesSchema,
    /** AUTHN-1a/1d: security mail. Without smtpUrl, mail is written as .eml files under <dataDir>/mail. */
    mail: Type.Object(
      {
        /** e.g. smtps://user:pass@mail.example.org:465 or smtp://relay:25; null: file delivery. */
        smtpUrl: Type.Union([Type.String({ pattern: '^smtps?://\\S+$' }), Type.Null()], { default: null }),
        from: Type.String({ minLength: 3, default: 'Bulwark <bulwark@localhost>' }),
        /** Where file delivery writes; null: <dataDir>/mail. */
        directory: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        /** Delivery attempts before a message is given up (and logged as an error). */
        maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
        /** First retry delay; each further retry doubles it, up to retryMaxSeconds. */
        retryBaseSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 30 }),
        retryMaxSeconds: Type.Integer({ minimum: 1, maximum: 604_800, default: 3600 }),
        /** How often the worker looks for due mail (it is also woken when mail is queued). */
        pollSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 10 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Issue 3 building blocks: second factors, leaked passwords, brute-force limits. */
    auth: Type.Object(
      {
        /**
         * Key-encryption key for TOTP secrets at rest: a file holding 32 random bytes (base64 or hex).
         * Null: <dataDir>/auth-kek.key, created on first start. Share it between nodes.
         */
        kekFile: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        /** The issuer shown in authenticator apps; null: the public URL's host, else "Bulwark". */
        totpIssuer: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], { default: null }),
        /** AUTHN-2d leaked-password source. */
        breachedPasswords: Type.Object(
          {
            mode: Type.Union([Type.Literal('range-api'), Type.Literal('range-directory'), Type.Literal('hash-file'), Type.Literal('off')], { default: 'range-api' }),
            /** Pwned Passwords range API base; GET {endpoint}/range/{prefix} with Add-Padding: true. */
            endpoint: Type.String({ pattern: '^https?://\\S+$', default: 'https://api.pwnedpasswords.com' }),
            /** range-directory: a directory of files named by the 5-hex prefix, each holding SUFFIX:COUNT lines. */
            directory: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
            /** hash-file: sorted SHA-1 hashes, one `HASH[:COUNT]` line each (the Pwned Passwords download format). */
            hashFile: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
            /** true: a password is refused when the source cannot answer; false (default): allowed and logged. */
            failClosed: Type.Boolean({ default: false }),
            timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 3000 }),
            cacheSeconds: Type.Integer({ minimum: 0, maximum: 86_400, default: 300 }),
          },
          { default: {}, additionalProperties: false },
        ),
        /** AUTHN-1e brute-force limits: failures allowed per window before the step locks. */
        throttle: Type.Object(
          {
            windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 900 }),
            passwordPerAccount: Type.Integer({ minimum: 1, default: 10 }),
            passwordPerIp: Type.Integer({ minimum: 1, default: 30 }),
            secondFactorPerAccount: Type.Integer({ minimum: 1, default: 5 }),
            secondFactorPerIp: Type.Integer({ minimum: 1, default: 20 }),
            /** Failures across the whole registry per window, both steps. */
            globalPerWindow: Type.Integer({ minimum: 1, default: 1000 }),
            /** The first lockout; each further one in a row doubles, up to lockoutMaxSeconds. */
            lockoutSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
            lockoutMaxSeconds: Type.Integer({ minimum: 1, maximum: 604_800, default: 86_400 }),
          },
          { default: {}, additionalProperties: false },
        ),
        /** AUTHN-2a: the periodic check of registered email domains (docs/email-domains.md). */
        domainCheck: Type.Object(
          {
            enabled: Type.Boolean({ default: true }),
            /** host:port of the DNS resolvers to ask (e.g. "127.0.0.1:5353", "[::1]:53"); empty: the system's resolvers. */
            resolvers: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
            /** Hours between two runs over every registered domain. */
            intervalHours: Type.Number({ minimum: 0.01, maximum: 8760, default: 24 }),
            /** Per query; each query is tried `tries` times. */
            timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 3000 }),
            tries: Type.Integer({ minimum: 1, maximum: 5, default: 2 }),
            /** An RDAP base URL (GET {rdapUrl}/domain/{name}); an expired or pending-delete registration counts as abandoned. Null: DNS only. */
            rdapUrl: Type.Union([Type.String({ pattern: '^https?://\\S+$' }), Type.Null()], { default: null }),
          },
          { default: {}, additionalProperties: false },
        ),
        /** AUTHN-1b: how long the single-use link of `bulwark admin user recover` works. */
        recoveryLinkHours: Type.Number({ minimum: 0.1, maximum: 720, default: 24 }),
        /** AUTHN-3c: AAGUIDs of the authenticator models that count for critical packages; empty: any WebAuthn credential. */
        criticalAaguids: Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }), { default: [] }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** GEN-3a: the scheduled self-assessment (bulwark assess against this registry, anonymous probes only). */
    assess: Type.Object(
      {
        /** Hours between runs; the first runs at start. 0 disables the schedule. */
        intervalHours: Type.Number({ minimum: 0, maximum: 24 * 365, default: 24 }),
        /** How many reports the admin page keeps. */
        keepReports: Type.Integer({ minimum: 1, maximum: 10_000, default: 90 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** MFA enforcement for writes (AUTHN-2c, 3b, 3c; docs/mfa.md). */
    mfa: Type.Object(
      {
        /** all-writes: every maintainer write needs a second factor (AUTHN-3b); critical-only: only writes to critical packages (AUTHN-2c); off. */
        required: Type.Union([Type.Literal('all-writes'), Type.Literal('critical-only'), Type.Literal('off')], { default: 'all-writes' }),
        /** Share of the most downloaded packages (last 7 days) that count as critical; at least one when any was downloaded. */
        criticalTopShare: Type.Number({ minimum: 0, maximum: 1, default: 0.01 }),
        /** Automation tokens (bypass_2fa, created with a second factor) may write to critical packages; false: only people approving with a security key, or trusted publishing. */
        automationTokensOnCritical: Type.Boolean({ default: true }),
      },
      { default: {}, additionalProperties: false },
    ),
    security: Type.Object(
      {
        /** RFC 9116 Contact URIs (mailto:, https:, tel:). */
        contact: Type.Array(Type.String({ pattern: '^(mailto|https|tel):\\S+$' }), { default: [] }),
        /** Where the policy lives if not served by the registry itself. */
        policyUrl: Type.Union([Type.String({ pattern: '^https://\\S+$' }), Type.Null()], { default: null }),
        /** A Markdown or text file served at /-/security/policy instead of the default policy. */
        policyFile: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        /** security.txt Expires; null: one year after start. */
        expires: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { default: null }),
        preferredLanguages: Type.Array(Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$' }), { default: ['en'] }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
