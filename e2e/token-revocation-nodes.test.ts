// AUTHZ-1a: a token revoked on one node stops working on the others (two registry processes on
// one database), even where it was cached a moment before.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sleep, spawnRegistry, type RunningRegistry } from '@bulwark/testkit';
import { startRegistry, type TestRegistry } from './support.js';

describe('token revocation across nodes (AUTHZ-1a)', () => {
  let env: TestRegistry;
  let second: RunningRegistry;

  before(async () => {
    env = await startRegistry(['nora']);
    second = await spawnRegistry({ dataDir: env.reg.dataDir });
  });
  after(async () => {
    await second?.close();
    await env?.close();
  });

  test('AUTHZ-1a: revoked on node A, refused on node B within seconds although B had it cached', async () => {
    const created = await fetch(`${env.reg.url}-/npm/v1/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${env.users.nora!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: env.users.nora!.password, name: 'to revoke' }),
    });
    assert.equal(created.status, 201);
    const { token, key } = await created.json() as { token: string; key: string };
    const whoamiOnB = () => fetch(`${second.url}-/whoami`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    assert.equal(await whoamiOnB(), 200, 'B authenticates (and caches) the token');
    const revoked = await fetch(`${env.reg.url}-/npm/v1/tokens/token/${key}`, { method: 'DELETE', headers: { authorization: `Bearer ${env.users.nora!.token}` } });
    assert.equal(revoked.status, 204);
    assert.equal((await fetch(`${env.reg.url}-/whoami`, { headers: { authorization: `Bearer ${token}` } })).status, 401, 'A refuses at once');
    // B learns of it from the shared database (polled every second); allow a generous bound.
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      await sleep(250);
      status = await whoamiOnB();
    }
    assert.equal(status, 401, 'B refuses the revoked token');
  });
});
