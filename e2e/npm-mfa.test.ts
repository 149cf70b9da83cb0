// MFA for writes through the real npm CLI (issue 3 "MFA enforcement", issue 4 automation tokens and
// trusted-publishing-only): the 401 WWW-Authenticate: OTP challenge, --otp, the interactive prompt
// under a pty, replayed and wrong codes, critical packages, npm profile enable-2fa, npm token create.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ClientSandbox, SmtpSink, freshTotpCode, githubActionsClaims, ptyAvailable, publishBody, putPackage, request, runInPty,
  startOidcIssuer, totpCodeForSecret, writePackageDir, type OidcIssuer,
} from '@bulwark/testkit';
import { assertFailed, assertOk, out, packument, seed, startRegistry, PASSWORD, type TestRegistry } from './support.js';

describe('npm CLI: MFA for every write (AUTHN-1c, 1e, 3b, 3c; AUTHZ-3a)', () => {
  let env: TestRegistry;
  let sink: SmtpSink;
  let issuer: OidcIssuer;
  const sandboxes: ClientSandbox[] = [];
  /** The last TOTP step used per user: the registry refuses a step twice (AUTHN-1c). */
  const lastStep = new Map<string, number>();

  const sandbox = async (token?: string): Promise<ClientSandbox> => {
    const s = await ClientSandbox.create({ registry: env.reg.url, token });
    sandboxes.push(s);
    return s;
  };
  /** A token that is not an automation token: every write asks for the second factor. */
  const plainToken = (user: string) => env.reg.adminToken(user, { bypass2fa: false });
  const nextCode = async (user: string): Promise<string> => {
    const { code, step } = await freshTotpCode(env.reg.totpUri(user), lastStep.get(user) ?? -1);
    lastStep.set(user, step);
    return code;
  };

  before(async () => {
    sink = await SmtpSink.start();
    issuer = await startOidcIssuer();
    env = await startRegistry(['alice', 'carol'], {
      config: { mail: { smtpUrl: sink.url }, trustedPublishing: { issuers: [{ type: 'github', issuer: issuer.issuer }] } },
    });
    // dave has a password and no second factor.
    await env.reg.adminUser('dave', 'dave@example.test', `${PASSWORD}-dave`, { totp: false });
    await seed(env.reg, env.users.alice!.token, { name: 'mfa-lib', version: '1.0.0' });
  });
  after(async () => {
    for (const s of sandboxes) await s.close();
    await env?.close();
    await issuer?.close();
    await sink?.close();
  });

  test('AUTHN-3b: a user without a second factor is refused a publish with E_MFA_REQUIRED', async () => {
    const s = await sandbox(await plainToken('dave'));
    const r = await s.npm(['publish'], { cwd: await writePackageDir({ name: 'dave-lib', version: '1.0.0' }) });
    assertFailed(r, 'publish without any second factor');
    assert.match(out(r), /E_MFA_REQUIRED/);
    assert.match(out(r), /npm profile enable-2fa/);
  });

  test('AUTHN-3b: a publish without a code gets the 401 WWW-Authenticate: OTP challenge (npm: EOTP)', async () => {
    const token = await plainToken('alice');
    const p = publishBody({ name: 'mfa-lib', version: '1.0.1', registryUrl: env.reg.url });
    const res = await putPackage(env.reg.url, 'mfa-lib', p.body, token);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'OTP');
    assert.equal(res.json?.code, 'E_OTP_REQUIRED');
    const s = await sandbox(token);
    const r = await s.npm(['publish'], { cwd: await writePackageDir({ name: 'mfa-lib', version: '1.0.1' }) });
    assertFailed(r, 'npm publish without --otp and without a terminal');
    assert.match(out(r), /EOTP|one-time pass/i);
    assert.equal((await packument(env.reg, 'mfa-lib')).versions['1.0.1'], undefined, 'nothing was published');
  });

  test('AUTHN-3b: npm publish --otp=<code> is accepted', async () => {
    const s = await sandbox(await plainToken('alice'));
    const r = await s.npm(['publish', `--otp=${await nextCode('alice')}`], { cwd: await writePackageDir({ name: 'mfa-lib', version: '1.0.1' }) });
    assertOk(r, 'npm publish --otp');
    assert.ok((await packument(env.reg, 'mfa-lib')).versions['1.0.1']);
  });

  test('AUTHN-3b: npm prompts for the one-time password under a pty and publishes with it', { skip: ptyAvailable() ? false : '`script` (util-linux) is not installed' }, async () => {
    const s = await sandbox(await plainToken('alice'));
    const code = await nextCode('alice');
    const r = await runInPty('npm', ['publish'], {
      cwd: await writePackageDir({ name: 'mfa-lib', version: '1.0.2' }),
      env: s.env(), timeoutMs: 90_000,
      steps: [{ expect: /one-time password|OTP/i, send: code }],
    });
    assert.ok(!r.timedOut, `npm publish timed out:\n${r.output}`);
    assert.deepEqual(r.answered, [0], `npm asked for the code:\n${r.output}`);
    assert.equal(r.code, 0, `npm publish exit ${r.code}:\n${r.output}`);
    assert.ok((await packument(env.reg, 'mfa-lib')).versions['1.0.2']);
  });

  test('AUTHN-1c: a TOTP code that was used once is refused the second time', async () => {
    const s = await sandbox(await plainToken('alice'));
    const code = await nextCode('alice');
    assertOk(await s.npm(['dist-tag', 'add', 'mfa-lib@1.0.0', 'old', `--otp=${code}`]), 'dist-tag add with a fresh code');
    const again = await s.npm(['dist-tag', 'add', 'mfa-lib@1.0.1', 'older', `--otp=${code}`]);
    assertFailed(again, 'the same code again');
    assert.match(out(again), /E_OTP_REPLAYED/);
  });

  test('AUTHN-1e: the sixth second factor after five wrong npm-otp codes is refused, even the right one', async () => {
    const token = await plainToken('carol');
    await seed(env.reg, env.users.carol!.token, { name: 'carol-lib', version: '1.0.0' });
    const p = publishBody({ name: 'carol-lib', version: '1.0.1', registryUrl: env.reg.url });
    const right = (await freshTotpCode(env.reg.totpUri('carol'))).code;
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 5; i++) {
      const res = await putPackage(env.reg.url, 'carol-lib', p.body, token, { 'npm-otp': wrong });
      assert.equal(res.status, 401, `wrong code ${i}: ${res.text}`);
      assert.match(String(res.json?.code), /^E_OTP_(INVALID|OUT_OF_SYNC)$/);
    }
    const sixth = await putPackage(env.reg.url, 'carol-lib', p.body, token, { 'npm-otp': right });
    assert.equal(sixth.status, 429, `the step is locked: ${sixth.text}`);
    assert.equal(sixth.json?.code, 'E_RATE_LIMITED');
    assert.equal((await packument(env.reg, 'carol-lib')).versions['1.0.1'], undefined);
  });

  test('AUTHN-3c: a TOTP-only maintainer is refused on a critical package', async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'crit-lib', version: '1.0.0' });
    const set = await env.reg.cli(['admin', 'packages', 'set', 'crit-lib', '--critical']);
    assert.equal(set.code, 0, set.stderr);
    const s = await sandbox(await plainToken('alice'));
    const r = await s.npm(['publish', `--otp=${await nextCode('alice')}`], { cwd: await writePackageDir({ name: 'crit-lib', version: '1.0.1' }) });
    assertFailed(r, 'a TOTP-approved publish of a critical package');
    assert.match(out(r), /E_PHISHING_RESISTANT_REQUIRED/);
    assert.match(out(r), /security key|passkey/);
    assert.equal((await packument(env.reg, 'crit-lib')).versions['1.0.1'], undefined);
  });

  test('AUTHN-3b: npm profile enable-2fa under a pty: QR code, first code, recovery codes; then writes need the code', { skip: ptyAvailable() ? false : '`script` (util-linux) is not installed' }, async () => {
    const token = await plainToken('dave');
    const s = await sandbox(token);
    let secret = '';
    const r = await runInPty('npm', ['profile', 'enable-2fa', 'auth-and-writes'], {
      cwd: s.root, env: s.env(), timeoutMs: 90_000,
      steps: [
        { expect: /password/i, send: `${PASSWORD}-dave` },
        {
          expect: /OTP code from your authenticator/i,
          send: (screen) => {
            secret = /enter code:\s*([A-Z2-7]+)/i.exec(screen)?.[1] ?? '';
            return secret ? totpCodeForSecret(secret) : '000000';
          },
        },
      ],
    });
    assert.ok(!r.timedOut, `npm profile enable-2fa timed out:\n${r.output}`);
    assert.equal(r.code, 0, `exit ${r.code}:\n${r.output}`);
    assert.ok(secret, `npm showed the secret under the QR code:\n${r.output}`);
    assert.match(r.output, /recovery codes/i);
    const profile = await request<{ tfa: unknown }>(env.reg.urlOf('-/npm/v1/user'), { token });
    assert.deepEqual(profile.json?.tfa, { mode: 'auth-and-writes', pending: false });
    await sink.waitForMail('dave@example.test', 'A second factor was added', 30_000);
    // Now dave's writes ask for the code instead of refusing him.
    const p = publishBody({ name: 'dave-lib', version: '1.0.0', registryUrl: env.reg.url });
    const res = await putPackage(env.reg.url, 'dave-lib', p.body, token);
    assert.equal(res.json?.code, 'E_OTP_REQUIRED');
  });

  test('AUTHN-3b: npm token create needs the second factor and mails the owner; --bypass-2fa only with it', async () => {
    const s = await sandbox(await plainToken('alice'));
    const without = await s.npm(['token', 'create', `--password=${PASSWORD}-alice`]);
    assertFailed(without, 'npm token create without --otp');
    assert.match(out(without), /EOTP|one-time pass/i);
    const created = await s.npm(['token', 'create', `--password=${PASSWORD}-alice`, '--bypass-2fa', `--otp=${await nextCode('alice')}`, '--json']);
    assertOk(created, 'npm token create --bypass-2fa --otp');
    const automation = /bwk_[A-Za-z0-9]+/.exec(created.stdout)?.[0];
    assert.ok(automation, created.stdout);
    const mail = await sink.waitForMail('alice@example.test', 'A new access token was created', 30_000);
    assert.ok(!mail.text.includes(automation!), 'the mail never carries the token');
    // The automation token publishes with no code (AUTHN-3b's exception for CI, issue 4).
    const ci = await sandbox(automation);
    assertOk(await ci.npm(['publish'], { cwd: await writePackageDir({ name: 'mfa-lib', version: '1.0.3' }) }), 'publish with the automation token');
  });

  test('AUTHN-3b: an automation token made by the operator (admin token create --bypass-2fa) publishes without OTP', async () => {
    const s = await sandbox(env.users.alice!.token);
    assertOk(await s.npm(['publish'], { cwd: await writePackageDir({ name: 'mfa-lib', version: '1.0.4' }) }), 'publish with an automation token');
    const refused = await env.reg.cli(['admin', 'token', 'create', 'dave-nobody', '--bypass-2fa']);
    assert.notEqual(refused.code, 0, 'no automation token for an unknown user');
  });

  test('AUTHZ-3a: a trusted-publishing-only package refuses a token publish and accepts an OIDC publish', async () => {
    await seed(env.reg, env.users.alice!.token, { name: 'tp-lib', version: '1.0.0' });
    const owner = await sandbox(env.users.alice!.token);
    assertOk(await owner.npm(['trust', 'github', 'tp-lib', '--repository', 'acme/tp-lib', '--file', 'release.yml', '--allow-publish', '--yes']), 'npm trust github');
    const set = await env.reg.cli(['admin', 'packages', 'set', 'tp-lib', '--trusted-publishing-only']);
    assert.equal(set.code, 0, set.stderr);
    const byToken = await owner.npm(['publish'], { cwd: await writePackageDir({ name: 'tp-lib', version: '1.0.1' }) });
    assertFailed(byToken, 'a token publish of a trusted-publishing-only package');
    assert.match(out(byToken), /E_TRUSTED_PUBLISHING_REQUIRED/);
    issuer.actionsClaims = githubActionsClaims('acme/tp-lib', 'release.yml');
    const ci = await sandbox();
    const byOidc = await ci.npm(['publish', '--provenance=false'], {
      cwd: await writePackageDir({ name: 'tp-lib', version: '1.0.2' }),
      env: { CI: 'true', GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: issuer.actionsRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.actionsRequestToken },
    });
    assertOk(byOidc, 'OIDC publish');
    const doc = await packument(env.reg, 'tp-lib');
    assert.ok(doc.versions['1.0.2'] && !doc.versions['1.0.1']);
  });
});
