// Staged publishing (issue 4) with the real npm CLI: `npm stage publish` needs only a publish
// token and makes nothing visible; `npm stage approve` needs a maintainer's second factor.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, freshTotpCode, totpCode, writePackageDir } from '@bulwark/testkit';
import { assertFailed, assertOk, out, seed, startRegistry, type TestRegistry } from './support.js';

describe('npm stage (AUTHZ-1b, issue 4)', () => {
  let env: TestRegistry;
  let owner: ClientSandbox;
  let ci: ClientSandbox;
  let otpauth = '';
  let stageId = '';

  before(async () => {
    env = await startRegistry([]);
    // A maintainer with TOTP (MFA is required for writes); the operator's tokens are automation tokens.
    await env.reg.adminUser('stella', 'stella@example.test', 'Stella-password-123456');
    otpauth = env.reg.totpUri('stella');
    assert.match(otpauth, /^otpauth:\/\/totp\//);
    const full = await env.reg.adminToken('stella');
    const publishOnly = await env.reg.adminToken('stella', { packages: ['staged-lib'] });
    await seed(env.reg, full, { name: 'staged-lib', version: '1.0.0' });
    owner = await ClientSandbox.create({ registry: env.reg.url, token: full });
    ci = await ClientSandbox.create({ registry: env.reg.url, token: publishOnly });
  });
  after(async () => {
    await ci?.close();
    await owner?.close();
    await env?.close();
  });

  test('npm stage publish with a publish token stages the version without publishing it', async () => {
    const r = await ci.npm(['stage', 'publish', '--json'], { cwd: await writePackageDir({ name: 'staged-lib', version: '1.1.0' }) });
    assertOk(r, 'npm stage publish');
    stageId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(out(r))?.[0] ?? '';
    assert.ok(stageId, `a stage id is printed: ${out(r)}`);
    const doc = await (await fetch(`${env.reg.url}staged-lib`)).json() as { versions: Record<string, unknown> };
    assert.equal(doc.versions['1.1.0'], undefined, 'not visible before approval');
    const list = await owner.npm(['stage', 'list', 'staged-lib', '--json']);
    assertOk(list, 'npm stage list');
    assert.match(list.stdout, new RegExp(stageId));
  });

  test('npm stage approve without a second factor is refused; with --otp it publishes', async () => {
    const refused = await owner.npm(['stage', 'approve', stageId]);
    assertFailed(refused, 'approve without OTP');
    assert.match(out(refused), /EOTP|one-time|second factor/i);
    assertOk(await owner.npm(['stage', 'approve', stageId, '--otp', totpCode(otpauth)]), 'approve with OTP');
    const doc = await (await fetch(`${env.reg.url}staged-lib`)).json() as { versions: Record<string, unknown> };
    assert.ok(doc.versions['1.1.0'], 'published after approval');
  });

  test('a package set to require staging refuses a direct npm publish; the staged way still works', async () => {
    const set = await env.reg.cli(['admin', 'packages', 'set', 'staged-lib', '--require-staging']);
    assert.equal(set.code, 0, set.stderr);
    const direct = await ci.npm(['publish'], { cwd: await writePackageDir({ name: 'staged-lib', version: '1.2.0' }) });
    assertFailed(direct, 'direct publish of a staging-only package');
    assert.match(out(direct), /E_STAGING_REQUIRED|only through npm stage publish/);
    const staged = await ci.npm(['stage', 'publish', '--json'], { cwd: await writePackageDir({ name: 'staged-lib', version: '1.2.0' }) });
    assertOk(staged, 'npm stage publish');
    const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(out(staged))?.[0] ?? '';
    // The last approval spent this 30-second step's code (replays are refused): take the next one.
    const code = (await freshTotpCode(otpauth, Math.floor(Date.now() / 30_000))).code;
    assertOk(await owner.npm(['stage', 'approve', id, '--otp', code]), 'approve');
    const doc = await (await fetch(`${env.reg.url}staged-lib`)).json() as { versions: Record<string, unknown> };
    assert.ok(doc.versions['1.2.0']);
  });
});
