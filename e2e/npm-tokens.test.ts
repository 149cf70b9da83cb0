// AUTHZ-1a / 1b through the real npm CLI: npm token create (granular fields), list, revoke; the
// created token's limits hold for npm publish, and revocation takes effect on the next request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, totpCode, writePackageDir } from '@bulwark/testkit';
import { assertFailed, assertOk, out, seed, startRegistry, type TestRegistry } from './support.js';

describe('npm token (AUTHZ-1a, AUTHZ-1b)', () => {
  let env: TestRegistry;
  let owner: ClientSandbox;
  let created: { token: string };

  before(async () => {
    env = await startRegistry(['tina']);
    await seed(env.reg, env.users.tina!.token, { name: 'tok-a', version: '1.0.0' });
    await seed(env.reg, env.users.tina!.token, { name: 'tok-b', version: '1.0.0' });
    owner = await ClientSandbox.create({ registry: env.reg.url, token: env.users.tina!.token });
  });
  after(async () => {
    await owner?.close();
    await env?.close();
  });

  test('AUTHZ-1a: npm token create with packages, permission and CIDR makes a limited token', async () => {
    const r = await owner.npm([
      'token', 'create', '--name', 'ci', '--packages', 'tok-a', '--packages-and-scopes-permission', 'read-write',
      // A CI token: an automation token (no per-request OTP), which needs the owner's second factor now (AUTHN-3b).
      '--cidr', '127.0.0.0/8', '--expires', '30', '--password', env.users.tina!.password, '--bypass-2fa', `--otp=${totpCode(env.users.tina!.totpUri)}`, '--json',
    ]);
    assertOk(r, 'npm token create');
    created = JSON.parse(r.stdout);
    assert.match(created.token, /^bwk_[0-9A-Za-z]{38}$/);
  });

  test('AUTHZ-1a: the limited token publishes tok-a and is refused on tok-b', async () => {
    const ci = await ClientSandbox.create({ registry: env.reg.url, token: created.token });
    try {
      assertOk(await ci.npm(['publish'], { cwd: await writePackageDir({ name: 'tok-a', version: '1.1.0' }) }), 'publish tok-a');
      const refused = await ci.npm(['publish'], { cwd: await writePackageDir({ name: 'tok-b', version: '1.1.0' }) });
      assertFailed(refused, 'publish tok-b');
      assert.match(out(refused), /not scoped for tok-b/);
    } finally {
      await ci.close();
    }
  });

  test('AUTHZ-1a: npm token list shows it; npm token revoke ends it on the next request', async () => {
    const list = await owner.npm(['token', 'list', '--json']);
    assertOk(list, 'npm token list');
    const listed = JSON.parse(list.stdout) as Array<{ id: string; token: string; name: string; cidr_whitelist: string[] | null }>;
    const mine = listed.find((t) => t.name === 'ci');
    assert.ok(mine, `the new token is listed: ${list.stdout}`);
    assert.deepEqual(mine.cidr_whitelist, ['127.0.0.0/8']);
    assert.ok(created.token.startsWith(mine.token.replace(/….*$/, '')), 'listed masked, by its prefix');
    // npm prints the key as *** (it treats it as a secret) and gives each token a short unique `id`.
    assertOk(await owner.npm(['token', 'revoke', mine.id]), 'npm token revoke by its short id');
    const after = await fetch(`${env.reg.url}-/whoami`, { headers: { authorization: `Bearer ${created.token}` } });
    assert.equal(after.status, 401);
  });
});
