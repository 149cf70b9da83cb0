import { Type, type Static } from '@sinclair/typebox';

const MiB = 1024 * 1024;
export const DEFAULT_TARBALL_BYTES = 64 * MiB;

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
        /** AUTHN-3c: AAGUIDs of the authenticator models that count for critical packages; empty: any WebAuthn credential. */
        criticalAaguids: Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }), { default: [] }),
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
