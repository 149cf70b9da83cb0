import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPasswordPolicy, normalizePassword } from '../../src/policy/password-policy.js';

const violation = (password: string, context = {}) => {
  const verdict = checkPasswordPolicy(password, context);
  return verdict.ok ? null : verdict.violation;
};

test('AUTHN-2d: length is the rule, not composition (NIST 800-63B)', () => {
  assert.equal(violation('short1!'), 'too-short');
  assert.equal(violation('all lower case words are fine'), null);
  assert.equal(violation('x'.repeat(300)), 'too-long');
  // Length counts characters, not UTF-16 units or bytes.
  assert.equal(violation('🔑🔑🔑🔑🔑🔑🔑🔑🔑'), 'too-short');
  assert.equal(violation('🔑🌍🔒🚀🎉🐢🦊🍀🌙⭐'), null);
});

test('AUTHN-2d: passwords are NFKC-normalised, so one password typed two ways is one secret', () => {
  assert.equal(normalizePassword('ｐａｓｓ'), 'pass');
  assert.equal(normalizePassword('e\u0301lan vital!'), 'élan vital!');
  const verdict = checkPasswordPolicy('Ｃｏｒｒｅｃｔ Ｈｏｒｓｅ');
  assert.ok(verdict.ok && verdict.normalized === 'Correct Horse');
});

test('AUTHN-2d: context words (user name, email, registry name) and repetition are refused', () => {
  assert.equal(violation('alice-maintainer1', { userName: 'alice-maintainer' }), 'context-word');
  assert.equal(violation('bob.builder@example.org', { email: 'bob.builder@example.org' }), 'context-word');
  assert.equal(violation('bulwark-registry', { serviceWords: ['bulwark-registry'] }), 'context-word');
  assert.equal(violation('alice and a long passphrase', { userName: 'alice' }), null, 'a context word inside a long passphrase is fine');
  assert.equal(violation('aaaaaaaaaaaa'), 'repetitive');
  assert.equal(violation('abababababab'), 'repetitive');
  assert.equal(violation('tab\there is odd'), 'control-characters');
});
