import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { FormatRegistry } from '@sinclair/typebox';
import { ConfigSchema, DEFAULT_TARBALL_BYTES, type Config } from './schema.js';

FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v));

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Flag or env value as given on the command line: strings, to be coerced by key. */
export type RawSettings = Record<string, string | undefined>;

/** BULWARK_* variables and the config key each sets. */
export const ENV_KEYS: Readonly<Record<string, string>> = {
  BULWARK_HOST: 'host',
  BULWARK_PORT: 'port',
  BULWARK_DATA_DIR: 'dataDir',
  BULWARK_BASE_PATH: 'basePath',
  BULWARK_PUBLIC_URL: 'publicUrl',
  BULWARK_LOG_LEVEL: 'logLevel',
  BULWARK_REGISTRATION: 'registration',
  BULWARK_MAX_BODY_BYTES: 'limits.bodyBytes',
  BULWARK_MAX_TARBALL_BYTES: 'limits.tarballBytes',
  BULWARK_MAX_UNPACKED_BYTES: 'limits.unpackedBytes',
  BULWARK_SECURITY_CONTACT: 'security.contact',
  BULWARK_SECURITY_POLICY_URL: 'security.policyUrl',
  BULWARK_SECURITY_POLICY_FILE: 'security.policyFile',
  BULWARK_SECURITY_EXPIRES: 'security.expires',
  BULWARK_KEY_ENCRYPTION_KEY: 'signing.keyEncryptionKey',
  BULWARK_KEY_ENCRYPTION_KEY_FILE: 'signing.keyEncryptionKeyFile',
  BULWARK_TRUSTED_ROOTS: 'provenance.trustedRoots',
  BULWARK_WEB_SECURE_COOKIES: 'web.secureCookies',
  BULWARK_ADVISORIES_SYNC_URL: 'advisories.sync.url',
  BULWARK_ADVISORIES_SYNC_INTERVAL_MINUTES: 'advisories.sync.intervalMinutes',
  BULWARK_MAIL_SMTP_URL: 'mail.smtpUrl',
  BULWARK_MAIL_FROM: 'mail.from',
  BULWARK_AUTH_KEK_FILE: 'auth.kekFile',
  BULWARK_BREACHED_PASSWORDS_MODE: 'auth.breachedPasswords.mode',
  BULWARK_BREACHED_PASSWORDS_ENDPOINT: 'auth.breachedPasswords.endpoint',
  BULWARK_ASSESS_INTERVAL_HOURS: 'assess.intervalHours',
  BULWARK_MFA_REQUIRED: 'mfa.required',
  BULWARK_DOMAIN_CHECK_RESOLVERS: 'auth.domainCheck.resolvers',
  BULWARK_DOMAIN_CHECK_RDAP_URL: 'auth.domainCheck.rdapUrl',
};

const NUMERIC = new Set(['port', 'limits.bodyBytes', 'limits.tarballBytes', 'limits.unpackedBytes', 'limits.tarEntries', 'advisories.sync.intervalMinutes', 'assess.intervalHours']);
const LISTS = new Set(['security.contact', 'security.preferredLanguages', 'provenance.trustedRoots', 'auth.domainCheck.resolvers']);

/**
 * Defaults -> config file -> BULWARK_* env -> flags (flags keyed by config path, e.g. `dataDir`).
 * Read once, in the composition root; the result is frozen. Throws ConfigError with every problem.
 */
export function loadConfig(options: { file?: string | undefined; env?: NodeJS.ProcessEnv; flags?: RawSettings }): Config {
  const merged: Record<string, unknown> = {};
  const file = options.file ?? options.env?.BULWARK_CONFIG;
  if (file) deepMerge(merged, readConfigFile(file));
  for (const [variable, key] of Object.entries(ENV_KEYS)) {
    const value = options.env?.[variable];
    if (value !== undefined && value !== '') setPath(merged, key, coerce(key, value, variable));
  }
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) setPath(merged, key, coerce(key, value, `--${key}`));
  }
  // A lowered body limit lowers the default tarball limit with it (the tarball rides in the body).
  const limits = merged.limits as Record<string, unknown> | undefined;
  if (limits && typeof limits.bodyBytes === 'number' && limits.tarballBytes === undefined) {
    limits.tarballBytes = Math.min(limits.bodyBytes, DEFAULT_TARBALL_BYTES);
  }
  const withDefaults = Value.Default(ConfigSchema, merged) as Record<string, unknown>;
  const problems = [...Value.Errors(ConfigSchema, withDefaults)].map((e) => `  ${e.path || '/'}: ${e.message}${e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`}`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const config = withDefaults as Config;
  if (config.limits.tarballBytes > config.limits.bodyBytes) {
    throw new ConfigError('Invalid configuration:\n  /limits/tarballBytes: must not exceed limits.bodyBytes (the tarball travels inside the body)');
  }
  const breached = config.auth.breachedPasswords;
  if (breached.mode === 'range-directory' && !breached.directory) {
    throw new ConfigError('Invalid configuration:\n  /auth/breachedPasswords/directory: required when mode is range-directory');
  }
  if (breached.mode === 'hash-file' && !breached.hashFile) {
    throw new ConfigError('Invalid configuration:\n  /auth/breachedPasswords/hashFile: required when mode is hash-file');
  }
  config.dataDir = resolve(config.dataDir);
  config.basePath = config.basePath.replace(/\/+$/, '') || '';
  return deepFreeze(config);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function coerce(key: string, value: string, source: string): unknown {
  if (NUMERIC.has(key)) {
    if (!/^\d+$/.test(value)) throw new ConfigError(`Invalid configuration:\n  ${source}: must be a whole number (got ${JSON.stringify(value)})`);
    return Number(value);
  }
  if (LISTS.has(key)) return value.split(',').map((s) => s.trim()).filter(Boolean);
  return value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof target[key] === 'object' && target[key] !== null) {
      deepMerge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
