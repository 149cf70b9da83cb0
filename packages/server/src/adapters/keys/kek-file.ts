import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Parses 32 key bytes written as base64, base64url or hex (whitespace ignored). */
export function parseKek(text: string): Uint8Array {
  const value = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
  if (bytes.length !== 32) throw new Error('the key-encryption key must be 32 bytes (64 hex or 44 base64 characters)');
  return bytes;
}

/**
 * The key-encryption key for secrets at rest. An existing file is read; a missing one is made
 * with 32 random bytes (mode 0600). Every node must use the same file: a node with another key
 * cannot open TOTP secrets and refuses, rather than treating users as having no second factor.
 */
export function loadOrCreateKek(file: string): Uint8Array {
  try {
    return parseKek(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot use the key-encryption key ${file}: ${(err as Error).message}`);
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
