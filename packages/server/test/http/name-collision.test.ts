// GEN-1b: the normalized-collision rule covers every package of the registry, popular or not
// (npm's punctuation and case rule), at publish and in the availability answer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

describe('GEN-1b: collisions with any registry package', () => {
  let reg: InProcessRegistry;
  let alice: string;
  let bob: string;
  const publish = (token: string, name: string) =>
    reg.app.inject({ method: 'PUT', url: `/${name}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(publishBody({ name, version: '1.0.0' }).body) });

  before(async () => {
    reg = await inProcessRegistry({ names: { refreshSeconds: 0 } });
    alice = await reg.user('alice');
    bob = await reg.user('bob');
    assert.equal((await publish(alice, 'tiny-lib')).statusCode, 201);
  });
  after(() => reg.close());

  for (const variant of ['tiny_lib', 'tinylib', 'Tiny.Lib'.toLowerCase(), 'tiny-1ib']) {
    test(`GEN-1b: ${variant} collides with the unpopular tiny-lib and is refused`, async () => {
      const res = await publish(bob, variant);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'E_POLICY_TYPOSQUAT');
      assert.match(res.json().error, /"tiny-lib"/);
      const answer = (await reg.app.inject({ url: `/-/bulwark/v1/names/availability?name=${variant}` })).json();
      assert.equal(answer.available, false);
      assert.equal(answer.decision.rule, 'collision');
      assert.equal(answer.decision.similarTo.name, 'tiny-lib');
    });
  }

  test('GEN-1b: a name that only shares a prefix is not a collision', async () => {
    assert.equal((await publish(bob, 'tiny-library-x')).statusCode, 201);
  });
});
