import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipInCidrs, isPackagePattern, matchesPackageList } from '../../src/domain/token-grant.js';

test('AUTHZ-1a: package lists match exact names and * patterns, nothing else', () => {
  assert.ok(matchesPackageList(['left-pad'], 'left-pad'));
  assert.ok(!matchesPackageList(['left-pad'], 'left-pad2'));
  assert.ok(matchesPackageList(['eslint-plugin-*'], 'eslint-plugin-acme'));
  assert.ok(!matchesPackageList(['eslint-plugin-*'], 'eslint-config-acme'));
  assert.ok(matchesPackageList(['@acme/*'], '@acme/core'));
  assert.ok(!matchesPackageList(['@acme/*'], '@acmex/core'));
  assert.ok(!matchesPackageList(['@acme/*'], 'acme-core'));
  assert.ok(!matchesPackageList(['*'], '@acme/core'), 'a bare * does not cross a scope');
  assert.ok(matchesPackageList(['*'], 'anything'));
});

test('AUTHZ-1a: package patterns are validated', () => {
  for (const ok of ['a', 'left-pad', '@acme/*', 'eslint-plugin-*', '@acme/core']) assert.ok(isPackagePattern(ok), ok);
  for (const bad of ['', 'Left', '../x', '@acme/', 'a b', '@/x', 'a/b/c']) assert.ok(!isPackagePattern(bad), bad);
});

test('AUTHZ-1a: CIDR allow-lists for IPv4, IPv6 and IPv4-mapped IPv6', () => {
  assert.ok(ipInCidrs('10.1.2.3', ['10.0.0.0/8']));
  assert.ok(!ipInCidrs('11.1.2.3', ['10.0.0.0/8']));
  assert.ok(ipInCidrs('::ffff:10.1.2.3', ['10.0.0.0/8']), 'a dual-stack socket reports IPv4 as mapped IPv6');
  assert.ok(ipInCidrs('2001:db8::1', ['2001:db8::/32']));
  assert.ok(!ipInCidrs('2001:db9::1', ['2001:db8::/32']));
  assert.ok(!ipInCidrs('not-an-ip', ['0.0.0.0/0']));
  assert.ok(ipInCidrs('127.0.0.1', ['192.168.0.0/16', '127.0.0.1/32']));
});
