// npm compatibility plan (npm-registry-api.md §9), items 1-4: ping, whoami, login/adduser, logout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ClientSandbox, completeWebLogin, describeRun, freshTotpCode, nerfDart, ptyAvailable, request, runInPty, sleep, startFaultProxy,
  type FaultProxy, type RecordedExchange,
} from '@bulwark/testkit';
import { assertFailed, assertOk, out, startRegistry, type TestRegistry } from './support.js';

const WENDY_PASSWORD = 'Wendy-Password-123456';

describe('npm compat: authentication (items 1-4)', () => {
  let env: TestRegistry;
  let proxy: FaultProxy;
  const sandboxes: ClientSandbox[] = [];
  // Alice has TOTP and the registry refuses a time step twice: every code here comes from a new step.
  let aliceStep = -1;
  const aliceCode = async (): Promise<string> => {
    const fresh = await freshTotpCode(env.users.alice!.totpUri, aliceStep);
    aliceStep = fresh.step;
    return fresh.code;
  };

  async function sandbox(token?: string): Promise<ClientSandbox> {
    const s = await ClientSandbox.create({ registry: proxy.url, token });
    sandboxes.push(s);
    return s;
  }

  function jsonOf(e: RecordedExchange | undefined): Record<string, unknown> | undefined {
    if (!e?.responseBody) return undefined;
    try { return JSON.parse(e.responseBody.toString('utf8')) as Record<string, unknown>; } catch { return undefined; }
  }

  before(async () => {
    // Reads (GET /-/ping) are logged at debug level; an operator who wants to see them turns it on.
    env = await startRegistry(['alice', 'bob'], { config: { logLevel: 'debug' } });
    // The web-login test signs in with a password only (the second-factor step of that page is
    // covered by e2e/web-auth.test.ts), so its user has no TOTP.
    await env.reg.adminUser('wendy', 'wendy@example.test', WENDY_PASSWORD, { totp: false });
    proxy = await startFaultProxy({ target: env.reg.url });
  });

  after(async () => {
    for (const s of sandboxes) await s.close();
    await proxy?.close();
    await env?.close();
  });

  test('npm compat 1: npm ping prints PONG and the server logs GET /-/ping', async () => {
    const s = await sandbox(env.users.alice!.token);
    const r = await s.npm(['ping']);
    assertOk(r, 'npm ping');
    assert.match(out(r), /PONG/);
    const pings = proxy.find('GET', '/-/ping');
    assert.ok(pings.length >= 1 && pings.every((e) => e.status! >= 200 && e.status! < 300), 'the registry answered GET /-/ping with 2xx');
    const logged = env.reg.logs.some((l) => l.raw.includes('/-/ping') && /GET/.test(l.raw));
    assert.ok(logged, `the server log has no line for GET /-/ping. Log:\n${env.reg.logs.map((l) => l.raw).slice(-20).join('\n')}`);
  });

  test('npm compat 2: npm whoami prints the username', async () => {
    const s = await sandbox(env.users.alice!.token);
    const r = await s.npm(['whoami']);
    assertOk(r, 'npm whoami');
    assert.equal(r.stdout.trim(), 'alice');
    const w = proxy.find('GET', '/-/whoami').at(-1);
    assert.deepEqual(jsonOf(w), { username: 'alice' });
  });

  test('npm compat 3: npm login (web, browser=false) completes out-of-band after a 202 poll', async () => {
    const s = await sandbox();
    proxy.clearExchanges();
    const running = s.npm(['login', '--auth-type=web', '--browser=false'], { timeoutMs: 90_000 });
    // Wait for the login POST and at least one 202 poll of doneUrl.
    let loginUrl = '';
    let doneUrl = '';
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const post = proxy.find('POST', /\/-\/v1\/login$/).at(-1);
      const body = jsonOf(post);
      if (body && typeof body.loginUrl === 'string' && typeof body.doneUrl === 'string') {
        loginUrl = body.loginUrl;
        doneUrl = body.doneUrl;
        const donePath = new URL(doneUrl).pathname;
        if (proxy.exchanges.some((e) => e.path === donePath && e.status === 202)) break;
      }
      await sleep(100);
    }
    const post = proxy.find('POST', /\/-\/v1\/login$/).at(-1);
    assert.ok(post, 'npm sent POST /-/v1/login');
    assert.deepEqual(JSON.parse(post.body.toString('utf8') || '{}'), {}, 'npm login posts {}');
    assert.ok(loginUrl && doneUrl, `POST /-/v1/login answered ${post.status} ${post.responseBody?.toString()}`);
    const donePath = new URL(doneUrl).pathname;
    const polls = proxy.exchanges.filter((e) => e.path === donePath);
    assert.ok(polls.some((e) => e.status === 202), `npm polled doneUrl and got 202 at least once (got ${polls.map((p) => p.status).join(',')})`);
    const poll202 = polls.find((e) => e.status === 202);
    assert.ok(poll202?.responseHeaders?.['retry-after'], 'the 202 poll carries Retry-After (else npm spins)');

    const form = await completeWebLogin(loginUrl, 'wendy', WENDY_PASSWORD);
    assert.ok(form.status >= 200 && form.status < 400, `submitting the login form: ${form.status} ${form.text.slice(0, 300)}`);

    const r = await running;
    assertOk(r, 'npm login (web)');
    assert.match(out(r), /Login at:/);
    assert.ok(out(r).includes(loginUrl), 'npm printed the loginUrl');
    assert.match(out(r), /Logged in/i);
    const npmrc = await s.readNpmrc();
    const m = new RegExp(`^${nerfDart(proxy.url).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:_authToken=(\\S+)$`, 'm').exec(npmrc);
    assert.ok(m, `.npmrc has the token under ${nerfDart(proxy.url)}:\n${npmrc}`);
    const done = polls.concat(proxy.exchanges.filter((e) => e.path === donePath)).filter((e) => e.status === 200).at(-1);
    assert.equal(jsonOf(done)?.token, m[1], 'the saved token is the one doneUrl returned');
    const who = await s.npm(['whoami']);
    assertOk(who, 'whoami after web login');
    assert.equal(who.stdout.trim(), 'wendy');
  });

  test('npm compat 3: npm login --auth-type=legacy under a pty saves the token (an account without a second factor: the password alone)', { skip: ptyAvailable() ? false : '`script` (util-linux) is not installed, no pty available' }, async () => {
    const s = await sandbox();
    proxy.clearExchanges();
    const r = await runInPty('npm', ['login', '--auth-type=legacy'], {
      cwd: s.root,
      env: s.env(),
      timeoutMs: 60_000,
      steps: [
        { expect: /Username:/i, send: 'wendy' },
        { expect: /Password:/i, send: WENDY_PASSWORD },
      ],
    });
    assert.ok(!r.timedOut, `npm login (legacy) timed out. Output:\n${r.output}`);
    assert.equal(r.code, 0, `npm login (legacy) exit ${r.code}. Output:\n${r.output}`);
    assert.deepEqual(r.answered, [0, 1], 'both prompts appeared');
    assert.match(r.output, /Logged in( as wendy)?/i);
    const put = proxy.find('PUT', /^\/-\/user\/org\.couchdb\.user:wendy$/).at(-1);
    assert.ok(put, 'npm sent PUT /-/user/org.couchdb.user:wendy');
    const body = JSON.parse(put.body.toString('utf8')) as Record<string, unknown>;
    assert.equal(body.name, 'wendy');
    assert.equal(body._id, 'org.couchdb.user:wendy');
    const token = (JSON.parse(put.responseBody!.toString('utf8')) as { token?: string }).token;
    assert.ok(token, `the couch login response has a token: ${put.status} ${put.responseBody?.toString()}`);
    const npmrc = await s.readNpmrc();
    assert.ok(npmrc.includes(`${nerfDart(proxy.url)}:_authToken=${token}`), `.npmrc has the token:\n${npmrc}`);
    const who = await s.npm(['whoami']);
    assertOk(who, 'whoami after legacy login');
    assert.equal(who.stdout.trim(), 'wendy');
  });

  test('AUTHN-1c: npm login --auth-type=legacy asks for the one-time password after the password (pty) and logs in with it', { skip: ptyAvailable() ? false : '`script` (util-linux) is not installed, no pty available' }, async () => {
    const alice = env.users.alice!;
    const login = (s: ClientSandbox, otp: string) => runInPty('npm', ['login', '--auth-type=legacy'], {
      cwd: s.root,
      env: s.env(),
      timeoutMs: 60_000,
      steps: [
        { expect: /Username:/i, send: 'alice' },
        { expect: /Password:/i, send: alice.password },
        { expect: /Enter OTP:/i, send: otp },
      ],
    });

    // A wrong code: npm asked for it, the registry refused it, nothing was saved.
    const refused = await sandbox();
    proxy.clearExchanges();
    const wrong = await login(refused, '000000');
    assert.ok(!wrong.timedOut, `npm login timed out. Output:\n${wrong.output}`);
    assert.deepEqual(wrong.answered, [0, 1, 2], `npm prompted for the one-time password after the password. Output:\n${wrong.output}`);
    assert.notEqual(wrong.code, 0, `a wrong one-time password must fail the login. Output:\n${wrong.output}`);
    const puts = proxy.find('PUT', /^\/-\/user\/org\.couchdb\.user:alice$/);
    assert.equal(puts.length, 2, 'the PUT, then the same PUT with npm-otp');
    assert.equal(puts[0]!.status, 401);
    assert.equal(puts[0]!.responseHeaders?.['www-authenticate'], 'OTP');
    assert.equal(puts[0]!.headers['npm-otp'], undefined);
    assert.equal(puts[1]!.headers['npm-otp'], '000000');
    assert.ok(puts.every((p) => !p.responseBody?.toString().includes('"token"')), 'no token was issued');
    assert.doesNotMatch(await refused.readNpmrc().catch(() => ''), /_authToken/, 'no token saved');
    assertFailed(await refused.npm(['whoami']), 'whoami after a refused login');

    // The right code: logged in, and the token works.
    const s = await sandbox();
    const ok = await login(s, await aliceCode());
    assert.ok(!ok.timedOut, `npm login timed out. Output:\n${ok.output}`);
    assert.equal(ok.code, 0, `npm login exit ${ok.code}. Output:\n${ok.output}`);
    assert.deepEqual(ok.answered, [0, 1, 2]);
    assert.match(ok.output, /Logged in( as alice)?/i);
    assert.match(await s.readNpmrc(), /_authToken=/);
    const who = await s.npm(['whoami']);
    assertOk(who, 'whoami after legacy login with the one-time password');
    assert.equal(who.stdout.trim(), 'alice');
  });

  test('npm compat 3: npm adduser sends {"create":true} and closed registration refuses it clearly', { skip: ptyAvailable() ? false : '`script` (util-linux) is not installed, no pty available' }, async () => {
    const s = await sandbox();
    proxy.clearExchanges();
    // If the web endpoint refuses (4xx), npm falls back to the couch flow, which prompts; answer it.
    const r = await runInPty('npm', ['adduser'], {
      cwd: s.root,
      env: s.env(),
      timeoutMs: 20_000,
      steps: [
        { expect: /Username:/i, send: 'carol' },
        { expect: /Password:/i, send: 'Another-Long-Password-77' },
        { expect: /Email[^:\n]*:/i, send: 'carol@example.test' },
      ],
    });
    const post = proxy.find('POST', /\/-\/v1\/login$/)[0];
    assert.ok(post, 'npm adduser sent POST /-/v1/login');
    assert.deepEqual(JSON.parse(post.body.toString('utf8')), { create: true });
    assert.ok(!r.timedOut, `npm adduser did not finish (a closed registry must refuse, not leave npm polling). Output:\n${r.output}`);
    assert.notEqual(r.code, 0, `npm adduser must fail on a closed registry. Output:\n${r.output}`);
    const refusals = proxy.exchanges.filter((e) => /\/-\/v1\/(login|done)|\/-\/user\/org\.couchdb\.user:/.test(e.path) && e.status! >= 400 && e.status! < 500);
    assert.ok(refusals.length > 0, 'the registry refused with a 4xx');
    const errors = refusals.map((e) => jsonOf(e)?.error).filter((x): x is string => typeof x === 'string' && x.length > 0);
    assert.ok(errors.length > 0, `the refusal has a JSON error field: ${refusals.map((e) => e.responseBody?.toString()).join(' | ')}`);
    assert.ok(errors.some((e) => /regist|sign.?up|closed|invit|administrator|operator/i.test(e)), `the refusal says registration is closed: ${errors.join(' | ')}`);
    assert.ok(errors.some((e) => r.output.includes(e)), `npm shows the server's error text (${errors.join(' | ')}). Output:\n${r.output}`);
    const carol = await request(env.reg.urlOf('-/user/org.couchdb.user:carol'), { token: env.users.alice!.token });
    assert.equal(carol.status, 404, 'no account was created');
    assert.equal((await s.readNpmrc()).includes('_authToken'), false, 'no token saved');
  });

  test('npm compat 3: legacy login 409 path: GET ?write=true gives _rev, Basic-auth PUT …/-rev/<rev> gives a token', async () => {
    const alice = env.users.alice!;
    const doc = await request<Record<string, unknown>>(env.reg.urlOf('-/user/org.couchdb.user:alice?write=true'), { token: alice.token });
    assert.equal(doc.status, 200, `GET ?write=true -> ${doc.status} ${doc.text}`);
    const rev = doc.json?._rev;
    assert.ok(typeof rev === 'string' && rev.length > 0, `the user doc has _rev: ${doc.text}`);
    const merged = { ...doc.json, _id: 'org.couchdb.user:alice', name: 'alice', password: alice.password, type: 'user', roles: [], date: new Date().toISOString() };
    const rePut = (otp?: string) => request<{ token?: string; error?: string }>(env.reg.urlOf(`-/user/org.couchdb.user:alice/-rev/${encodeURIComponent(rev)}`), {
      method: 'PUT',
      basic: { user: 'alice', password: alice.password },
      headers: { 'content-type': 'application/json', ...(otp ? { 'npm-otp': otp } : {}) },
      body: JSON.stringify(merged),
    });
    // Alice has TOTP: Basic credentials alone get the OTP challenge, as on the first PUT (AUTHN-1c).
    const challenged = await rePut();
    assert.equal(challenged.status, 401, challenged.text);
    assert.equal(challenged.json?.token, undefined);
    const put = await rePut(await aliceCode());
    assert.ok(put.status >= 200 && put.status < 300, `PUT …/-rev/${rev} -> ${put.status} ${put.text}`);
    assert.ok(put.json?.token, `the response carries a token: ${put.text}`);
    const who = await request<{ username?: string }>(env.reg.urlOf('-/whoami'), { token: put.json.token });
    assert.equal(who.json?.username, 'alice');
    const wrong = await request<{ token?: string; error?: string }>(env.reg.urlOf(`-/user/org.couchdb.user:alice/-rev/${encodeURIComponent(rev)}`), {
      method: 'PUT',
      basic: { user: 'alice', password: 'not-the-password' },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...merged, password: 'not-the-password' }),
    });
    assert.ok(wrong.status === 401 || wrong.status === 403, `a wrong password is refused: ${wrong.status} ${wrong.text}`);
    assert.equal(wrong.json?.token, undefined);
  });

  test('npm compat 4: npm logout revokes the token and removes it; whoami then gives ENEEDAUTH', async () => {
    const token = await env.reg.adminToken('bob');
    const s = await sandbox(token);
    const before = await s.npm(['whoami']);
    assertOk(before, 'whoami before logout');
    proxy.clearExchanges();
    const r = await s.npm(['logout']);
    assertOk(r, 'npm logout');
    const del = proxy.find('DELETE', `/-/user/token/${encodeURIComponent(token)}`);
    assert.equal(del.length, 1, `npm sent DELETE /-/user/token/<token>: ${proxy.exchanges.map((e) => `${e.method} ${e.url}`).join(', ')}`);
    assert.equal(del[0]!.headers.authorization, `Bearer ${token}`);
    assert.ok(del[0]!.status! >= 200 && del[0]!.status! < 300, `DELETE answered ${del[0]!.status}`);
    const npmrc = await s.readNpmrc();
    assert.equal(npmrc.includes(token), false, `.npmrc lost the token:\n${npmrc}`);
    const who = await s.npm(['whoami']);
    assertFailed(who, 'whoami after logout');
    assert.match(out(who), /ENEEDAUTH/, describeRun(who));
    const direct = await request(env.reg.urlOf('-/whoami'), { token });
    assert.equal(direct.status, 401, `the revoked token no longer authenticates: ${direct.status} ${direct.text}`);
  });
});

