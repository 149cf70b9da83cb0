import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../src/domain/actor.js';
import type { Decision } from '../../src/policy/decision.js';
import { decidePackageWrite, type PublishFacts } from '../../src/policy/publish-authz.js';
import { ANONYMOUS, NOW, passwordActor, tokenActor } from './actors.js';

const ALICE = 1;
const BOB = 2;

function facts(actor: Actor, overrides: Partial<PublishFacts> = {}): PublishFacts {
  return { actor, packageName: 'widget', scope: null, maintainerIds: null, scopeOwnerId: undefined, now: NOW, ...overrides };
}

function scoped(actor: Actor, overrides: Partial<PublishFacts> = {}): PublishFacts {
  return facts(actor, { packageName: '@acme/widget', scope: 'acme', scopeOwnerId: null, ...overrides });
}

function denied(decision: Decision, code: string): void {
  assert.equal(decision.allow, false, 'expected a denial');
  if (!decision.allow) assert.equal(decision.code, code);
}

function allowed(decision: Decision): void {
  assert.equal(decision.allow, true, decision.allow ? '' : `denied: ${decision.code} ${decision.reason}`);
}

describe('decidePackageWrite', () => {
  test('anonymous is denied with E_AUTH_REQUIRED, for new and existing packages', () => {
    denied(decidePackageWrite(facts(ANONYMOUS)), 'E_AUTH_REQUIRED');
    denied(decidePackageWrite(facts(ANONYMOUS, { maintainerIds: [ALICE] })), 'E_AUTH_REQUIRED');
  });

  test('a maintainer of an existing package may write it', () => {
    allowed(decidePackageWrite(facts(passwordActor(ALICE), { maintainerIds: [BOB, ALICE] })));
    allowed(decidePackageWrite(facts(tokenActor(ALICE), { maintainerIds: [ALICE] })));
  });

  test('a user who is not a maintainer of an existing package gets E_NOT_OWNER', () => {
    denied(decidePackageWrite(facts(passwordActor(BOB), { maintainerIds: [ALICE] })), 'E_NOT_OWNER');
    denied(decidePackageWrite(facts(passwordActor(BOB), { maintainerIds: [] })), 'E_NOT_OWNER');
  });

  test('AUTHZ-2a: an admin who is not a maintainer cannot publish', () => {
    denied(decidePackageWrite(facts(passwordActor(BOB, true), { maintainerIds: [ALICE] })), 'E_NOT_OWNER');
    denied(decidePackageWrite(scoped(passwordActor(BOB, true), { scopeOwnerId: ALICE })), 'E_NOT_OWNER');
  });

  test('any logged-in user may create a new unscoped package', () => {
    allowed(decidePackageWrite(facts(passwordActor(BOB))));
  });

  test('a new package in a scope owned by someone else gets E_NOT_OWNER', () => {
    denied(decidePackageWrite(scoped(passwordActor(BOB), { scopeOwnerId: ALICE })), 'E_NOT_OWNER');
  });

  test('a new package in the user\'s own scope is allowed', () => {
    allowed(decidePackageWrite(scoped(passwordActor(ALICE), { scopeOwnerId: ALICE })));
  });

  test('a new package in an unclaimed scope is allowed', () => {
    allowed(decidePackageWrite(scoped(passwordActor(BOB), { scopeOwnerId: null })));
  });

  test('for an existing scoped package, maintainership decides, not scope ownership', () => {
    allowed(decidePackageWrite(scoped(passwordActor(BOB), { scopeOwnerId: ALICE, maintainerIds: [BOB] })));
    denied(decidePackageWrite(scoped(passwordActor(ALICE), { scopeOwnerId: ALICE, maintainerIds: [BOB] })), 'E_NOT_OWNER');
  });

  test('AUTHZ-1a: a maintainer\'s token scoped to other packages gets E_TOKEN_SCOPE', () => {
    const actor = tokenActor(ALICE, { packages: ['gadget'] });
    denied(decidePackageWrite(facts(actor, { maintainerIds: [ALICE] })), 'E_TOKEN_SCOPE');
    denied(decidePackageWrite(facts(actor)), 'E_TOKEN_SCOPE');
    allowed(decidePackageWrite(facts(actor, { packageName: 'gadget', maintainerIds: [ALICE] })));
  });

  test('AUTHZ-1a: a maintainer\'s read-only token cannot publish', () => {
    denied(decidePackageWrite(facts(tokenActor(ALICE, { readOnly: true }), { maintainerIds: [ALICE] })), 'E_TOKEN_SCOPE');
  });

  test('a maintainer\'s expired token gets E_TOKEN_INVALID', () => {
    const expired = tokenActor(ALICE, { expiresAt: new Date(NOW.getTime() - 1000) });
    denied(decidePackageWrite(facts(expired, { maintainerIds: [ALICE] })), 'E_TOKEN_INVALID');
  });
});
