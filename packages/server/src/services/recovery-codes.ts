import { createHash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read off paper

/**
 * One recovery code: 16 characters from a 31-letter alphabet (~79 bits), shown as four groups.
 * Codes this random need no slow hash (as Verdaccio argues): SHA-256 of the normalised code.
 */
export function generateRecoveryCode(): string {
  const chars: string[] = [];
  while (chars.length < 16) {
    for (const byte of randomBytes(32)) {
      // Rejection sampling keeps every letter equally likely.
      if (byte < 248 && chars.length < 16) chars.push(ALPHABET[byte % 31]!);
    }
  }
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** What the user typed, without spaces, dashes or case. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`bulwark-recovery:${normalizeRecoveryCode(code)}`).digest('hex');
}
