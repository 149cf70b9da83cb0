// AUTHZ-3a with the real npm CLI in a simulated GitHub Actions run: npm asks the (loopback) OIDC
// issuer for an ID token with audience npm:127.0.0.1, exchanges it at Bulwark, and publishes with
// no token in its .npmrc. Every way the exchange must fail is tried the same way.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, githubActionsClaims, startOidcIssuer, writePackageDir, type OidcIssuer } from '@bulwark/testkit';
import { assertFailed, assertOk, out, packument, seed, startRegistry, type TestRegistry } from './support.js';

describe('npm trust + trusted publishing from CI (AUTHZ-3a)', () => {
  let env: TestRegistry;
  let issuer: OidcIssuer;
  let owner: ClientSandbox;
  let ci: ClientSandbox;
  let version = 0;

  const ciPublish = async () => {
    const dir = await writePackageDir({ name: 'ci-lib', version: `1.1.${version++}` });
    return ci.npm(['publish', '--provenance=false', '--loglevel', 'verbose'], {
      cwd: dir,
      env: { CI: 'true', GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: issuer.actionsRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.actionsRequestToken },
    });
  };

  before(async () => {
    issuer = await startOidcIssuer();
    env = await startRegistry(['alice'], { config: { trustedPublishing: { issuers: [{ type: 'github', issuer: issuer.issuer }] } } });
    await seed(env.reg, env.users.alice!.token, { name: 'ci-lib', version: '1.0.0' });
    owner = await ClientSandbox.create({ registry: env.reg.url, token: env.users.alice!.token });
    ci = await ClientSandbox.create({ registry: env.reg.url });
  });
  after(async () => {
    await ci?.close();
    await owner?.close();
    await env?.close();
    await issuer?.close();
  });

  test('AUTHZ-3a: npm trust github --yes configures the publisher; npm trust list shows it', async () => {
    assertOk(await owner.npm(['trust', 'github', 'ci-lib', '--repository', 'acme/ci-lib', '--file', 'release.yml', '--allow-publish', '--yes']), 'npm trust github');
    const list = await owner.npm(['trust', 'list', 'ci-lib', '--json']);
    assertOk(list, 'npm trust list');
    assert.match(list.stdout, /acme\/ci-lib/);
    assert.match(list.stdout, /release\.yml/);
  });

  test('AUTHZ-3a: npm publish from the trusted workflow succeeds with no token configured', async () => {
    issuer.actionsClaims = githubActionsClaims('acme/ci-lib', 'release.yml');
    const r = await ciPublish();
    assertOk(r, 'npm publish via OIDC');
    const doc = await packument(env.reg, 'ci-lib');
    assert.ok(doc.versions['1.1.0'], 'the version is published');
  });

  for (const [what, setup] of [
    ['a wrong repository', () => { issuer.actionsClaims = githubActionsClaims('evil/ci-lib', 'release.yml'); }],
    ['a wrong workflow', () => { issuer.actionsClaims = githubActionsClaims('acme/ci-lib', 'pr.yml'); }],
    ['an expired ID token', () => { issuer.actionsClaims = githubActionsClaims('acme/ci-lib', 'release.yml'); issuer.actionsLifetimeSeconds = -300; }],
    ['the wrong audience', () => { issuer.actionsClaims = githubActionsClaims('acme/ci-lib', 'release.yml'); issuer.actionsAudience = 'npm:registry.npmjs.org'; }],
    ['a replayed ID token', () => { issuer.actionsClaims = githubActionsClaims('acme/ci-lib', 'release.yml'); issuer.actionsFixedToken = issuer.issued[0]; }],
  ] as const) {
    test(`AUTHZ-3a: npm publish with ${what} is refused`, async () => {
      setup();
      try {
        const r = await ciPublish();
        assertFailed(r, `publish with ${what}`);
        // npm ignores a failed exchange and carries on without credentials; the registry refuses that.
        assert.match(out(r), /ENEEDAUTH|E401|logged in|auth/i);
        assert.match(out(r), /oidc/i, 'npm tried the exchange');
      } finally {
        issuer.actionsLifetimeSeconds = 300;
        issuer.actionsAudience = undefined;
        issuer.actionsFixedToken = undefined;
      }
    });
  }

  test('AUTHZ-3a: npm trust revoke removes the publisher; CI can no longer publish', async () => {
    const list = await owner.npm(['trust', 'list', 'ci-lib', '--json']);
    const parsed = JSON.parse(list.stdout) as Array<{ id: string }> | { id: string };
    const id = Array.isArray(parsed) ? parsed[0]!.id : parsed.id;
    assertOk(await owner.npm(['trust', 'revoke', 'ci-lib', `--id=${id}`]), 'npm trust revoke');
    issuer.actionsClaims = githubActionsClaims('acme/ci-lib', 'release.yml');
    assertFailed(await ciPublish(), 'publish after revoke');
  });
});
