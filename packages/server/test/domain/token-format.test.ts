import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TOKEN_PATTERN, TOKEN_PREFIX, displayToken, generateToken, hashToken, isWellFormedToken,
} from '../../src/domain/token-format.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Characters 4..35 are the random part, 36..41 the checksum. */
const RANDOM_START = 4;
const RANDOM_END = 36;

function replaceAt(text: string, index: number, ch: string): string {
  return text.slice(0, index) + ch + text.slice(index + 1);
}

describe('token format', () => {
  test('AUTHZ-1b: tokens carry the bwk_ prefix followed by 38 base62 characters', () => {
    for (let i = 0; i < 50; i++) {
      const token = generateToken();
      assert.equal(TOKEN_PREFIX, 'bwk_');
      assert.ok(token.startsWith('bwk_'), token);
      assert.equal(token.length, 42);
      assert.match(token.slice(4), /^[0-9A-Za-z]{38}$/);
      assert.match(token, TOKEN_PATTERN);
    }
  });

  test('AUTHZ-3b: a generated token passes its CRC32 checksum', () => {
    for (let i = 0; i < 50; i++) assert.equal(isWellFormedToken(generateToken()), true);
  });

  test('AUTHZ-3b: changing any one character after the prefix fails the checksum', () => {
    const token = generateToken();
    for (let index = RANDOM_START; index < token.length; index++) {
      const current = token[index]!;
      for (const replacement of [BASE62[(BASE62.indexOf(current) + 1) % 62]!, BASE62[(BASE62.indexOf(current) + 31) % 62]!]) {
        const changed = replaceAt(token, index, replacement);
        assert.notEqual(changed, token);
        assert.equal(isWellFormedToken(changed), false, `position ${index}: ${current} -> ${replacement}`);
      }
    }
  });

  test('AUTHZ-3b: swapping two different characters of the random part fails the checksum', () => {
    const token = generateToken();
    let checked = 0;
    for (let i = RANDOM_START; i < RANDOM_END - 1; i++) {
      if (token[i] === token[i + 1]) continue;
      const swapped = token.slice(0, i) + token[i + 1] + token[i] + token.slice(i + 2);
      assert.equal(isWellFormedToken(swapped), false, `swap at ${i}`);
      checked++;
    }
    assert.ok(checked > 0);
  });

  test('AUTHZ-3b: the checksum is CRC32 of the random part in 6 big-endian base62 digits (known answers)', () => {
    // Computed independently (Python binascii.crc32), as a secret scanner would.
    const known = [
      'bwk_0123456789ABCDEFGHIJKLMNOPQRSTUV1ggZdL', // crc32 0x5c339a43
      'bwk_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz4W8LJS', // crc32 0xf6b9a94a
      'bwk_aB3dE5gH7jK9mN1pQ2sT4vW6yZ8bC0eF2k2WT1', // crc32 0x95c2e817
    ];
    for (const token of known) assert.equal(isWellFormedToken(token), true, token);
    assert.equal(isWellFormedToken('bwk_0123456789ABCDEFGHIJKLMNOPQRSTUV1ggZdM'), false);
  });

  test('AUTHZ-1b: a wrong prefix, length or alphabet is not a Bulwark token', () => {
    const token = generateToken();
    const body = token.slice(4);
    const malformed = [
      '',
      `BWK_${body}`,
      `bwk-${body}`,
      `npm_${body}`,
      body,
      token.slice(0, -1),
      `${token}0`,
      ` ${token}`,
      `${token}\n`,
      replaceAt(token, 10, '-'),
      replaceAt(token, 10, 'é'),
    ];
    for (const candidate of malformed) assert.equal(isWellFormedToken(candidate), false, JSON.stringify(candidate));
  });

  test('generated tokens differ from each other', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateToken()));
    assert.equal(tokens.size, 200);
  });

  test('the random part uses the whole base62 alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) for (const ch of generateToken().slice(RANDOM_START, RANDOM_END)) seen.add(ch);
    assert.equal(seen.size, 62);
  });

  test('hashToken is the SHA-256 of the token in lower-case hex', () => {
    // FIPS 180-2 test vector for "abc".
    assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = generateToken();
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
    assert.equal(hashToken(token), hashToken(token));
    assert.notEqual(hashToken(token), hashToken(replaceAt(token, 5, token[5] === 'a' ? 'b' : 'a')));
  });

  test('AUTHZ-3b: the display form keeps the prefix but never the secret random part', () => {
    const token = generateToken();
    const display = displayToken(token);
    assert.ok(display.startsWith('bwk_'));
    assert.ok(display.length < 16, display);
    assert.equal(isWellFormedToken(display), false);
    const random = token.slice(RANDOM_START, RANDOM_END);
    assert.ok(!display.includes(random), 'display contains the random part');
    // At most a few characters of the 32 random ones show, far too few to guess the rest.
    const revealed = [...display].filter((ch) => BASE62.includes(ch)).length - 'bwk'.length;
    assert.ok(revealed <= 8, `${revealed} characters revealed`);
    for (let i = 0; i + 6 <= random.length; i++) {
      assert.ok(!display.includes(random.slice(i, i + 6)), `display shows random characters ${i}..${i + 6}`);
    }
  });
});
