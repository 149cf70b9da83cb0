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
