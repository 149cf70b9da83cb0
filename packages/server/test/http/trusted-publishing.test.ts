// AUTHZ-3a: trusted publishing against a real OIDC issuer on loopback (jose-signed RS256 tokens,
// discovery and JWKS over HTTP): configuration, the exchange, and every refusal.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { githubActionsClaims, publishBody, startOidcIssuer, type OidcIssuer } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

describe('trusted publishing (AUTHZ-3a)', () => {
  let reg: InProcessRegistry;
  let issuer: OidcIssuer;
  let stranger: OidcIssuer;
  let alice: string;
  let seq = 0;
  const AUD = 'npm:localhost'; // app.inject's Host is localhost:80

  const exchange = (idToken: string, name = 'tp-lib') =>
    reg.app.inject({ method: 'POST', url: `/-/npm/v1/oidc/token/exchange/package/${name.replace('/', '%2f')}`, headers: { authorization: `Bearer ${idToken}` } });
  const publish = (token: string, name = 'tp-lib') =>
    reg.app.inject({ method: 'PUT', url: `/${name.replace('/', '%2f')}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(publishBody({ name, version: `1.1.${seq++}` }).body) });
  const good = (extra: Record<string, unknown> = {}) => issuer.mint(githubActionsClaims('acme/lib', 'release.yml', extra), { audience: AUD });

  before(async () => {
    issuer = await startOidcIssuer();
    stranger = await startOidcIssuer();
    reg = await inProcessRegistry({ trustedPublishing: { issuers: [{ type: 'github', issuer: issuer.issuer }] } });
    alice = await reg.user('alice');
    await reg.user('mallory');
    for (const name of ['tp-lib', 'tp-other']) {
      const res = await reg.app.inject({ method: 'PUT', url: `/${name}`, headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: JSON.stringify(publishBody({ name, version: '1.0.0' }).body) });
      assert.equal(res.statusCode, 201);
    }
    const trust = await reg.app.inject({
      method: 'POST', url: '/-/package/tp-lib/trust', headers: { ...bearer(alice), 'content-type': 'application/json' },
      payload: JSON.stringify([{ type: 'github', claims: { repository: 'acme/lib', workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }]),
    });
    assert.equal(trust.statusCode, 201, trust.body);
    // Every maintainer is told that who may publish from CI changed.
    const mail = (await reg.stores.auth.outbox.list(100)).find((m) => m.kind === 'trusted-publisher-changed');
    assert.ok(mail, 'the maintainers are mailed');
    assert.match(mail.text, /added a github trusted publisher \(acme\/lib\) for tp-lib/);
  });
  after(async () => {
    await reg.close();
    await issuer.close();
    await stranger.close();
  });

  test('AUTHZ-3a: a matching ID token buys a 15-minute token that publishes this package only, logged as the trusted publisher', async () => {
    const res = await exchange(await good());
    assert.equal(res.statusCode, 201, res.body);
    const { token, expires } = res.json();
    const minutes = (new Date(expires).getTime() - Date.now()) / 60_000;
    assert.ok(minutes > 14 && minutes <= 15, `expires in ${minutes} minutes`);
    assert.equal((await publish(token)).statusCode, 201);
    const other = await publish(token, 'tp-other');
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 'E_TOKEN_SCOPE');
    const entries = (await reg.app.inject({ url: '/-/tlog/entries?since=0&limit=100' })).json().entries as Array<Record<string, unknown>>;
    const last = entries.filter((e) => e.type === 'version-published').at(-1)!;
    assert.equal(last.actorKind, 'trusted-publisher');
    assert.equal(last.publisher, 'github:acme/lib');
  });

  test('AUTHZ-3a: an ID token is good for one exchange (jti replay refused)', async () => {
    const idToken = await good();
    assert.equal((await exchange(idToken)).statusCode, 201);
    const replay = await exchange(idToken);
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().code, 'E_OIDC_REPLAY');
  });

  test('AUTHZ-3a: wrong repository, wrong workflow, untrusted event, wrong environment binding are refused', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['another repository', githubActionsClaims('evil/lib', 'release.yml'), /repository evil\/lib is not acme\/lib/],
      ['another workflow', githubActionsClaims('acme/lib', 'other.yml'), /workflow .*other\.yml.* is not \.github\/workflows\/release\.yml/],
      ['pull_request_target', githubActionsClaims('acme/lib', 'release.yml', { event_name: 'pull_request_target' }), /pull_request_target/],
    ];
    for (const [what, claims, reason] of cases) {
      const res = await exchange(await issuer.mint(claims, { audience: AUD }));
      assert.equal(res.statusCode, 403, what);
      assert.equal(res.json().code, 'E_OIDC_NO_MATCH', what);
      assert.match(res.json().error, reason, what);
    }
  });

  test('AUTHZ-3a: expired, wrong audience, untrusted issuer, forged signature are refused', async () => {
    const expired = await issuer.mint(githubActionsClaims('acme/lib', 'release.yml'), { audience: AUD, lifetimeSeconds: -120 });
    const wrongAudience = await issuer.mint(githubActionsClaims('acme/lib', 'release.yml'), { audience: 'npm:registry.npmjs.org' });
    const otherIssuer = await stranger.mint(githubActionsClaims('acme/lib', 'release.yml'), { audience: AUD });
    const forged = await stranger.mint(githubActionsClaims('acme/lib', 'release.yml'), { audience: AUD, issuer: issuer.issuer });
    for (const [what, token, reason] of [
      ['expired', expired, /expired/], ['wrong audience', wrongAudience, /aud/], ['untrusted issuer', otherIssuer, /not trusted/], ['forged', forged, /signature/],
    ] as const) {
      const res = await exchange(token);
      assert.equal(res.statusCode, 401, what);
      assert.equal(res.json().code, 'E_OIDC_INVALID', what);
      assert.match(res.json().error, reason, what);
    }
    assert.equal((await exchange('not-a-jwt')).statusCode, 401);
  });

  test('AUTHZ-3a: the repository and owner ids are pinned at first use (a re-created repository of the same name is refused)', async () => {
    const res = await exchange(await good({ repository_id: '999999', repository_owner_id: '4004004' }));
    assert.equal(res.statusCode, 403);
    assert.match(res.json().error, /repository_id 999999 is not the 100200300/);
  });

  test('AUTHZ-3a: only those who may publish configure trusted publishers; npm trust list and revoke', async () => {
    const mallory = await reg.user('mallory');
    const body = JSON.stringify([{ type: 'github', claims: { repository: 'mallory/x', workflow_ref: { file: 'r.yml' } }, permissions: ['createPackage'] }]);
    const refused = await reg.app.inject({ method: 'POST', url: '/-/package/tp-lib/trust', headers: { ...bearer(mallory), 'content-type': 'application/json' }, payload: body });
    assert.equal(refused.statusCode, 403);
    const list = await reg.app.inject({ url: '/-/package/tp-lib/trust', headers: bearer(alice) });
    const configs = list.json() as Array<{ id: string; claims: { repository: string } }>;
    assert.equal(configs.length, 1);
    assert.equal(configs[0]!.claims.repository, 'acme/lib');
    const bad = await reg.app.inject({ method: 'POST', url: '/-/package/tp-lib/trust', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: JSON.stringify([{ type: 'github', claims: { repository: 'acme/lib', workflow_ref: { file: '../../x.yml' } }, permissions: ['createPackage'] }]) });
    assert.equal(bad.statusCode, 400);
    const del = await reg.app.inject({ method: 'DELETE', url: `/-/package/tp-lib/trust/${configs[0]!.id}`, headers: bearer(alice) });
    assert.equal(del.statusCode, 200);
    assert.equal((await exchange(await good())).statusCode, 403, 'no publisher left');
  });

  test('AUTHZ-3a: a pending publisher creates a new package from CI', async () => {
    const add = await reg.app.inject({
      method: 'POST', url: '/-/package/tp-new/trust', headers: { ...bearer(alice), 'content-type': 'application/json' },
      payload: JSON.stringify([{ type: 'github', claims: { repository: 'acme/new', workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }]),
    });
    assert.equal(add.statusCode, 201, add.body);
    assert.ok(add.json()[0].pending_until);
    const res = await exchange(await issuer.mint(githubActionsClaims('acme/new', 'release.yml'), { audience: AUD }), 'tp-new');
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((await publish(res.json().token, 'tp-new')).statusCode, 201);
  });
});
