import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../src/config/load-config.js';

test('AUTHN-2a: domain-check settings: defaults, resolvers and RDAP from the environment, a bad RDAP URL refused', () => {
  const defaults = loadConfig({ env: {} });
  assert.equal(defaults.auth.domainCheck.enabled, true);
  assert.deepEqual(defaults.auth.domainCheck.resolvers, []);
  assert.equal(defaults.auth.domainCheck.intervalHours, 24);
  assert.equal(defaults.auth.domainCheck.rdapUrl, null);
  assert.equal(defaults.auth.recoveryLinkHours, 24);

  const env = loadConfig({ env: { BULWARK_DOMAIN_CHECK_RESOLVERS: '127.0.0.1:5353, [::1]:53', BULWARK_DOMAIN_CHECK_RDAP_URL: 'http://127.0.0.1:8080/rdap/' } });
  assert.deepEqual(env.auth.domainCheck.resolvers, ['127.0.0.1:5353', '[::1]:53']);
  assert.equal(env.auth.domainCheck.rdapUrl, 'http://127.0.0.1:8080/rdap/');
  assert.throws(() => loadConfig({ env: { BULWARK_DOMAIN_CHECK_RDAP_URL: 'rdap.example' } }), ConfigError);
});
