import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';

function decode(text: string, where: string): Buffer {
  const value = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (bytes.length !== 32) throw new Error(`The key-encryption key from ${where} must be 32 bytes (64 hex digits or base64).`);
  return bytes;
}

/**
 * The key-encryption key that seals the registry's private signing keys in the database:
 * `signing.keyEncryptionKey` (BULWARK_KEY_ENCRYPTION_KEY) if set, else a file outside the
 * database (default <dataDir>/registry-kek.key, 0600, made on first start).
 */
export function loadKeyEncryptionKey(config: Pick<Config, 'dataDir' | 'signing'>): Buffer {
  if (config.signing.keyEncryptionKey) return decode(config.signing.keyEncryptionKey, 'signing.keyEncryptionKey');
  const file = config.signing.keyEncryptionKeyFile ?? join(config.dataDir, 'registry-kek.key');
  try {
    return decode(readFileSync(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first
  }
  return decode(readFileSync(file, 'utf8'), file);
}
