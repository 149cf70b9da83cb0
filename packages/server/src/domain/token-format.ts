import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Token format (AUTHZ-1b, AUTHZ-3b): `bwk_` + 32 base62 characters of randomness (>= 190 bits)
 * + 6 base62 characters of CRC32 over the random part. Scanners can check the checksum offline;
 * we reject malformed tokens before any lookup. Only the SHA-256 of a token is stored.
 */
export const TOKEN_PREFIX = 'bwk_';
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const TOKEN_PATTERN = /^bwk_[0-9A-Za-z]{38}$/;

export function generateToken(): string {
  let random = '';
  // Rejection sampling keeps every character uniform over the 62-letter alphabet.
  while (random.length < RANDOM_LENGTH) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && random.length < RANDOM_LENGTH) random += ALPHABET[byte % 62];
    }
  }
  return `${TOKEN_PREFIX}${random}${checksum(random)}`;
}

export function isWellFormedToken(token: string): boolean {
  if (!TOKEN_PATTERN.test(token)) return false;
  const random = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + RANDOM_LENGTH);
  return token.slice(TOKEN_PREFIX.length + RANDOM_LENGTH) === checksum(random);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What listings show: the prefix and a few characters, never enough to use. */
export function displayToken(token: string): string {
  return `${token.slice(0, 8)}…${token.slice(-4)}`;
}

function checksum(text: string): string {
  let n = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
