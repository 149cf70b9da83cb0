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
    /** GEN-1b typosquat guard; defaults chosen from bench/names-quality.mjs (docs/name-policy.md). */
    names: NamesSchema,
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
