// AUTHN-1e through the real npm CLI: a locked password step makes `npm login --auth-type=legacy` fail clearly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, ptyAvailable, runInPty } from '@bulwark/testkit';
import { startRegistry, type TestRegistry } from './support.js';

const LIMIT = 2;

describe('npm login against a locked password step (AUTHN-1e)', () => {
  let env: TestRegistry;
  let sandbox: ClientSandbox;

  before(async () => {
    env = await startRegistry(['alice'], { config: { auth: { throttle: { passwordPerAccount: LIMIT }, domainCheck: { enabled: false } } } });
    sandbox = await ClientSandbox.create({ registry: env.reg.url });
  });

  after(async () => {
    await sandbox?.close();
    await env?.close();
  });

  test('AUTHN-1e: after repeated wrong passwords, npm login --auth-type=legacy with the right one fails with 429 and says to wait', { skip: ptyAvailable() ? false : '`script` (util-linux) is not installed, no pty available' }, async () => {
    // Someone guesses alice's password over the couch login endpoint.
    for (let i = 0; i < LIMIT; i++) {
      const res = await fetch(new URL('-/user/org.couchdb.user:alice', env.reg.url), {
        method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _id: 'org.couchdb.user:alice', name: 'alice', password: `guess-${i}`, type: 'user', roles: [] }),
      });
      assert.equal(res.status, 401);
    }
    const r = await runInPty('npm', ['login', '--auth-type=legacy'], {
      cwd: sandbox.root,
      env: sandbox.env(),
      timeoutMs: 60_000,
      steps: [
        { expect: /Username:/i, send: 'alice' },
        { expect: /Password:/i, send: env.users.alice!.password },
      ],
    });
    assert.ok(!r.timedOut, `npm login timed out. Output:\n${r.output}`);
    assert.notEqual(r.code, 0, `npm login must fail while the account is locked. Output:\n${r.output}`);
    assert.match(r.output, /429/);
    assert.match(r.output, /Too many failed attempts; try again in \d+ (seconds|minutes)/);
    assert.match(r.output, /E_RATE_LIMITED/);
    assert.doesNotMatch(await sandbox.readNpmrc().catch(() => ''), /_authToken/, 'no token was saved');
  });
});
