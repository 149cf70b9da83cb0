// npm compatibility plan item 29: the registry mounted under /npm/; repeats items 5, 8 and 13.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, request, startFaultProxy, type FaultProxy } from '@bulwark/testkit';
import { distTagScenario, installScenario, publishScenario } from './scenarios.js';
import { seed, startRegistry, type TestRegistry } from './support.js';

describe('npm compat 29: registry under the path prefix /npm/', () => {
  let env: TestRegistry;
  let proxy: FaultProxy;
  let viaProxy: ClientSandbox;
  let direct: ClientSandbox;

  before(async () => {
    env = await startRegistry(['alice'], { basePath: '/npm' });
    proxy = await startFaultProxy({ target: env.reg.url });
    viaProxy = await ClientSandbox.create({ registry: proxy.url, token: env.users.alice!.token });
    direct = await ClientSandbox.create({ registry: env.reg.url, token: env.users.alice!.token });
  });

  after(async () => {
    await viaProxy?.close();
    await direct?.close();
    await proxy?.close();
    await env?.close();
  });

  test('npm compat 29: the announced URL carries the prefix and the root is not the registry', async () => {
    assert.match(env.reg.url, /^http:\/\/127\.0\.0\.1:\d+\/npm\/$/);
    const ping = await request(env.reg.urlOf('-/ping'));
    assert.equal(ping.status, 200, 'GET /npm/-/ping');
  });

  test('npm compat 29 (item 5): publish unscoped under /npm/', async () => {
    await publishScenario(env.reg, proxy, viaProxy, 'prefixed-unscoped', 'alice');
  });

  test('npm compat 29 (item 5): publish scoped --access public under /npm/', async () => {
    await publishScenario(env.reg, proxy, viaProxy, '@prefix/scoped', 'alice', 'public');
  });

  test('npm compat 29 (item 8): install and ci under /npm/', async () => {
    const t = env.users.alice!.token;
    await seed(env.reg, t, { name: 'prefixed-dep', version: '1.0.0' });
    await seed(env.reg, t, { name: '@prefix/util', version: '1.0.0', access: 'public' });
    await seed(env.reg, t, { name: 'prefixed-main', version: '1.0.0', dependencies: { 'prefixed-dep': '^1.0.0', '@prefix/util': '1.0.0' } });
    await installScenario(env.reg, direct, 'prefixed-main');
  });

  test('npm compat 29 (item 13): dist-tag add / ls / rm under /npm/', async () => {
    const t = env.users.alice!.token;
    await seed(env.reg, t, { name: 'prefixed-tags', version: '1.0.0' });
    await seed(env.reg, t, { name: 'prefixed-tags', version: '1.0.1' });
    await distTagScenario(env.reg, direct, 'prefixed-tags');
  });
});
