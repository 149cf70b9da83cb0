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
    /** The web UI's browser sessions (NIST 800-63B AAL2 defaults: 30 minutes idle, 12 hours at most). */
    web: Type.Object(
      {
        sessionIdleMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60, default: 30 }),
        sessionMaxHours: Type.Integer({ minimum: 1, maximum: 30 * 24, default: 12 }),
        /** auto: secure (__Host-) cookies when publicUrl is https. */
        secureCookies: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], { default: 'auto' }),
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
