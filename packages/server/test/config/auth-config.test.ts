import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../src/config/load-config.js';

test('mail and auth settings: defaults, environment, and an offline leaked-password mode without its source is refused', () => {
  const defaults = loadConfig({ env: {} });
  assert.equal(defaults.mail.smtpUrl, null);
  assert.equal(defaults.auth.breachedPasswords.mode, 'range-api');
  assert.equal(defaults.auth.breachedPasswords.failClosed, false);
  assert.equal(defaults.auth.throttle.secondFactorPerAccount, 5);

  const env = loadConfig({ env: { BULWARK_MAIL_SMTP_URL: 'smtp://127.0.0.1:2525', BULWARK_BREACHED_PASSWORDS_ENDPOINT: 'http://127.0.0.1:9/' } });
  assert.equal(env.mail.smtpUrl, 'smtp://127.0.0.1:2525');
  assert.equal(env.auth.breachedPasswords.endpoint, 'http://127.0.0.1:9/');

  assert.throws(() => loadConfig({ env: { BULWARK_MAIL_SMTP_URL: 'mail.example.org' } }), ConfigError);
  assert.throws(() => loadConfig({ env: { BULWARK_BREACHED_PASSWORDS_MODE: 'hash-file' } }), /hashFile: required/);
  assert.throws(() => loadConfig({ env: { BULWARK_BREACHED_PASSWORDS_MODE: 'range-directory' } }), /directory: required/);
});
