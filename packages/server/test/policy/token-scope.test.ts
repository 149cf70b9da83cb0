import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../src/policy/decision.js';
import { ALLOW, deny, enforce } from '../../src/policy/decision.js';
import { decideAccountWrite, decideTokenScope } from '../../src/policy/token-scope.js';
import { RegistryError } from '../../src/domain/errors.js';
import { ANONYMOUS, NOW, operatorActor, passwordActor, tokenActor } from './actors.js';

function denied(decision: Decision, code: string): void {
  assert.equal(decision.allow, false, 'expected a denial');
  if (!decision.allow) {
    assert.equal(decision.code, code);
    assert.ok(decision.reason.length > 0);
  }
}

const later = (ms: number): Date => new Date(NOW.getTime() + ms);

describe('decideTokenScope', () => {
  test('AUTHZ-1a: a package-limited token acts on its packages only', () => {
    const actor = tokenActor(1, { packages: ['widget', '@acme/gadget'] });
    for (const action of ['read', 'write'] as const) {
      assert.deepEqual(decideTokenScope(actor, 'widget', action, NOW), ALLOW);
      assert.deepEqual(decideTokenScope(actor, '@acme/gadget', action, NOW), ALLOW);
      denied(decideTokenScope(actor, 'widget-core', action, NOW), 'E_TOKEN_SCOPE');
      denied(decideTokenScope(actor, 'widge', action, NOW), 'E_TOKEN_SCOPE');
      denied(decideTokenScope(actor, '@acme/other', action, NOW), 'E_TOKEN_SCOPE');
    }
  });

  test('AUTHZ-1a: a scope-limited token acts on packages of that scope only', () => {
    const actor = tokenActor(1, { scopes: ['@acme'] });
    for (const action of ['read', 'write'] as const) {
      assert.deepEqual(decideTokenScope(actor, '@acme/widget', action, NOW), ALLOW);
      denied(decideTokenScope(actor, '@acmecorp/widget', action, NOW), 'E_TOKEN_SCOPE');
      denied(decideTokenScope(actor, '@other/widget', action, NOW), 'E_TOKEN_SCOPE');
      denied(decideTokenScope(actor, 'acme', action, NOW), 'E_TOKEN_SCOPE');
      denied(decideTokenScope(actor, 'acme-widget', action, NOW), 'E_TOKEN_SCOPE');
    }
  });

  test('AUTHZ-1a: package and scope limits add up', () => {
    const actor = tokenActor(1, { packages: ['widget'], scopes: ['@acme'] });
    assert.deepEqual(decideTokenScope(actor, 'widget', 'write', NOW), ALLOW);
    assert.deepEqual(decideTokenScope(actor, '@acme/anything', 'write', NOW), ALLOW);
    denied(decideTokenScope(actor, 'gadget', 'write', NOW), 'E_TOKEN_SCOPE');
  });

  test('AUTHZ-1a: a read-only token may read but not write, even its own packages', () => {
    const unlimited = tokenActor(1, { readOnly: true });
    assert.deepEqual(decideTokenScope(unlimited, 'widget', 'read', NOW), ALLOW);
    denied(decideTokenScope(unlimited, 'widget', 'write', NOW), 'E_TOKEN_SCOPE');
    const limited = tokenActor(1, { readOnly: true, packages: ['widget'] });
    denied(decideTokenScope(limited, 'widget', 'write', NOW), 'E_TOKEN_SCOPE');
  });

  test('an unrestricted token may read and write any package', () => {
    const actor = tokenActor(1);
    assert.deepEqual(decideTokenScope(actor, 'widget', 'write', NOW), ALLOW);
    assert.deepEqual(decideTokenScope(actor, '@acme/widget', 'read', NOW), ALLOW);
  });

  test('an expired token is invalid for reads and writes, from the instant it expires', () => {
    for (const expiresAt of [later(-1), NOW, later(-86_400_000)]) {
      const actor = tokenActor(1, { expiresAt });
      denied(decideTokenScope(actor, 'widget', 'write', NOW), 'E_TOKEN_INVALID');
      denied(decideTokenScope(actor, 'widget', 'read', NOW), 'E_TOKEN_INVALID');
    }
    assert.deepEqual(decideTokenScope(tokenActor(1, { expiresAt: later(1) }), 'widget', 'write', NOW), ALLOW);
  });

  test('expiry is checked before scope: an expired, out-of-scope token is invalid, not out of scope', () => {
    denied(decideTokenScope(tokenActor(1, { expiresAt: later(-1), packages: ['a'] }), 'b', 'write', NOW), 'E_TOKEN_INVALID');
  });

  test('password, operator and anonymous actors are not token-limited', () => {
    for (const actor of [passwordActor(1), operatorActor(1), ANONYMOUS]) {
      assert.deepEqual(decideTokenScope(actor, 'widget', 'write', NOW), ALLOW);
      assert.deepEqual(decideTokenScope(actor, '@acme/widget', 'read', NOW), ALLOW);
    }
  });
});

describe('decideAccountWrite', () => {
  test('anonymous is asked to log in', () => {
    denied(decideAccountWrite(ANONYMOUS), 'E_AUTH_REQUIRED');
  });

  test('a read-only token cannot change the account', () => {
    denied(decideAccountWrite(tokenActor(1, { readOnly: true })), 'E_TOKEN_SCOPE');
  });

  test('a token limited to packages or scopes cannot change the account', () => {
    denied(decideAccountWrite(tokenActor(1, { packages: ['foo'] })), 'E_TOKEN_SCOPE');
    denied(decideAccountWrite(tokenActor(1, { scopes: ['@acme'] })), 'E_TOKEN_SCOPE');
  });

  test('a password login and a writable unrestricted token can', () => {
    assert.deepEqual(decideAccountWrite(passwordActor(1)), ALLOW);
    assert.deepEqual(decideAccountWrite(tokenActor(1)), ALLOW);
  });
});

describe('enforce', () => {
  test('throws a RegistryError with the denial\'s code and reason, and passes an allow', () => {
    enforce(ALLOW);
    assert.throws(
      () => enforce(deny('E_TOKEN_SCOPE', 'not for this package')),
      (err: unknown) => err instanceof RegistryError && err.code === 'E_TOKEN_SCOPE' && err.message === 'not for this package',
    );
  });
});
