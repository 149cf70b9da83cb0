import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PwnedRangeClient } from '../../src/adapters/passwords/pwned-range-client.js';
import { RangeDirectory } from '../../src/adapters/passwords/range-directory.js';
import { Sha1HashFile } from '../../src/adapters/passwords/sha1-hash-file.js';
import { PasswordScreening, passwordSha1 } from '../../src/services/password-screening.js';
import { isRegistryError } from '../../src/domain/errors.js';
import { sharedFixturesDir } from '@bulwark/testkit';

// The shared fixtures sit beside the repository (../shared), as in CI; BULWARK_SHARED_FIXTURES overrides.
const fixtureDir = join(sharedFixturesDir(), 'hibp');

interface Vector { password: string; sha1: string; pwned: string }

async function vectors(): Promise<Vector[]> {
  const lines = (await readFile(join(fixtureDir, 'vectors.tsv'), 'utf8')).split('\n').slice(1).filter(Boolean);
  return lines.map((line) => {
    const cells = line.split('\t');
    return { password: cells[0]!, sha1: cells[1]!, pwned: cells[7]! };
  });
}

/**
 * A range API on loopback answering from the fixture ranges; other prefixes get the fixture's
 * padding plus the vectors marked leaked (`yes`) with count 1, so long leaked passphrases exist.
 */
class FakeRangeApi {
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  private server!: Server;
  url = '';
  lowerCase = false;

  async start(): Promise<void> {
    const ranges = new Map<string, string>();
    for (const prefix of ['5BAA6', '7C4A8']) ranges.set(prefix, await readFile(join(fixtureDir, `range-${prefix}.padded.fixture.txt`), 'utf8'));
    const padding = ranges.get('5BAA6')!.split('\r\n').filter((l) => l.endsWith(':0'));
    const paddingOnly = padding.join('\r\n');
    for (const v of await vectors()) {
      const prefix = v.sha1.slice(0, 5);
      if (v.pwned === 'yes' && !ranges.has(prefix)) ranges.set(prefix, [...padding, `${v.sha1.slice(5)}:1`].sort().join('\r\n'));
    }
    this.server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      const m = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(400).end();
        return;
      }
      const body = ranges.get(m[1]!) ?? paddingOnly;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(this.lowerCase ? body.toLowerCase() : body);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => isRegistryError(err) && err.code === code);
}

describe('leaked passwords (AUTHN-2d)', () => {
  const api = new FakeRangeApi();
  let all: Vector[];
  let dir: string;

  before(async () => {
    await api.start();
    all = await vectors();
    dir = await mkdtemp(join(tmpdir(), 'bulwark-hibp-'));
  });
  after(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('AUTHN-2d: the fixture vectors hash as the range API keys them (SHA-1 of UTF-8, upper-case)', () => {
    for (const v of all) assert.equal(passwordSha1(v.password), v.sha1, v.password);
  });

  test('AUTHN-2d: the range client sends only the 5-character prefix with Add-Padding: true and finds leaked passwords', async () => {
    const client = new PwnedRangeClient({ endpoint: `${api.url}/`, timeoutMs: 5000, cacheMs: 0 });
    assert.ok((await client.count(passwordSha1('password'))) > 0);
    assert.ok((await client.count(passwordSha1('123456'))) > 0);
    const request = api.requests.at(-2)!;
    assert.equal(request.url, '/range/5BAA6');
    assert.equal(request.headers['add-padding'], 'true');
    for (const { url } of api.requests) assert.doesNotMatch(url, /[0-9A-F]{6}/, 'no more than the prefix leaves the server');
    for (const v of all.filter((x) => x.pwned.startsWith('no'))) assert.equal(await client.count(v.sha1), 0, v.password);
  });

  test('AUTHN-2d: padding lines (count 0) are not hits, and suffixes match in any case', async () => {
    const body = await readFile(join(fixtureDir, 'range-5BAA6.padded.fixture.txt'), 'utf8');
    const padding = body.split('\r\n').find((l) => l.endsWith(':0'))!.split(':')[0]!;
    const client = new PwnedRangeClient({ endpoint: api.url, timeoutMs: 5000, cacheMs: 0 });
    assert.equal(await client.count(`5BAA6${padding}`), 0);
    api.lowerCase = true;
    try {
      assert.ok((await client.count(passwordSha1('password'))) > 0);
    } finally {
      api.lowerCase = false;
    }
  });

  test('AUTHN-2d: range answers are cached briefly, then asked again', async () => {
    let now = 1_000_000;
    const client = new PwnedRangeClient({ endpoint: api.url, timeoutMs: 5000, cacheMs: 60_000, now: () => now });
    const before = api.requests.length;
    await client.count(passwordSha1('password'));
    await client.count(passwordSha1('password'));
    assert.equal(api.requests.length, before + 1);
    now += 60_001;
    await client.count(passwordSha1('password'));
    assert.equal(api.requests.length, before + 2);
  });

  test('AUTHN-2d: a leaked password is refused at sign-up, change and reset; a strong one passes', async () => {
    const screening = new PasswordScreening({ breached: new PwnedRangeClient({ endpoint: api.url, timeoutMs: 5000, cacheMs: 0 }), failClosed: false });
    await expectCode(screening.assertAcceptable('correct horse battery staple'), 'E_PASSWORD_BREACHED');
    assert.equal(await screening.assertAcceptable('Zq8#r2!vT9@mL4$wP7^k'), 'Zq8#r2!vT9@mL4$wP7^k');
    // At sign-in, after the password verified: a hit forces a change.
    assert.deepEqual((await screening.checkBreached('123456')).breached, true);
  });

  test('AUTHN-2d: the leaked-password check sees through Unicode compatibility forms (NFKC)', async () => {
    const screening = new PasswordScreening({ breached: new PwnedRangeClient({ endpoint: api.url, timeoutMs: 5000, cacheMs: 0 }), failClosed: false, policy: { minLength: 8, maxLength: 64 } });
    // Full-width letters normalise to "password".
    await expectCode(screening.assertAcceptable('ｐａｓｓｗｏｒｄ'), 'E_PASSWORD_BREACHED');
  });

  test('AUTHN-2d: source down: fail-open allows and logs, fail-closed refuses', async () => {
    const dead = new FakeRangeApi();
    await dead.start();
    const url = dead.url;
    await dead.close();
    const warnings: object[] = [];
    const open = new PasswordScreening({ breached: new PwnedRangeClient({ endpoint: url, timeoutMs: 2000, cacheMs: 0 }), failClosed: false, log: { warn: (o) => warnings.push(o) } });
    assert.equal(await open.assertAcceptable('Zq8#r2!vT9@mL4$wP7^k'), 'Zq8#r2!vT9@mL4$wP7^k');
    assert.equal(warnings.length, 1);
    const closed = new PasswordScreening({ breached: new PwnedRangeClient({ endpoint: url, timeoutMs: 2000, cacheMs: 0 }), failClosed: true });
    await expectCode(closed.assertAcceptable('Zq8#r2!vT9@mL4$wP7^k'), 'E_BREACH_CHECK_UNAVAILABLE');
    assert.equal((await closed.checkBreached('password')).breached, null);
  });

  test('AUTHN-2d: offline range directory: files named by prefix; a missing range is an error, not a pass', async () => {
    const ranges = join(dir, 'ranges');
    await (await import('node:fs/promises')).mkdir(ranges);
    await copyFile(join(fixtureDir, 'range-5BAA6.padded.fixture.txt'), join(ranges, '5BAA6'));
    await copyFile(join(fixtureDir, 'range-7C4A8.padded.fixture.txt'), join(ranges, '7c4a8.txt'));
    const mirror = new RangeDirectory(ranges);
    assert.ok((await mirror.count(passwordSha1('password'))) > 0);
    assert.ok((await mirror.count(passwordSha1('123456'))) > 0);
    await assert.rejects(mirror.count(passwordSha1('Zq8#r2!vT9@mL4$wP7^k')), /no file for prefix CC829/);
    const closed = new PasswordScreening({ breached: mirror, failClosed: true });
    await expectCode(closed.assertAcceptable('password-but-longer-and-unlisted'), 'E_BREACH_CHECK_UNAVAILABLE');
    await expectCode(closed.assertAcceptable('password'.padEnd(10, ' ').trim() + '12'), 'E_BREACH_CHECK_UNAVAILABLE');
  });

  test('AUTHN-2d: offline SHA-1 hash file: binary search finds every listed hash and no other', async () => {
    // 20,000 random hashes plus the leaked vectors, sorted, in the download format (HASH:COUNT, CRLF).
    const listed = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) listed.set(createHash('sha1').update(randomBytes(16)).digest('hex').toUpperCase(), 1 + (i % 97));
    for (const v of all.filter((x) => x.pwned === 'yes')) listed.set(v.sha1, 12345);
    const sorted = [...listed.keys()].sort();
    const file = join(dir, 'pwned-sha1-ordered-by-hash.txt');
    await writeFile(file, sorted.map((h) => `${h}:${listed.get(h)}`).join('\r\n'));
    const corpus = new Sha1HashFile(file);
    try {
      for (const v of all.filter((x) => x.pwned === 'yes')) assert.equal(await corpus.count(v.sha1), 12345, v.password);
      for (const h of [sorted[0]!, sorted[1]!, sorted.at(-1)!, sorted[10_000]!]) assert.equal(await corpus.count(h.toLowerCase()), listed.get(h));
      for (const v of all.filter((x) => x.pwned.startsWith('no'))) assert.equal(await corpus.count(v.sha1), 0);
      assert.equal(await corpus.count('0'.repeat(40)), 0);
      assert.equal(await corpus.count('F'.repeat(40)), 0);
      for (let i = 0; i < 200; i++) {
        const absent = createHash('sha1').update(`absent-${i}`).digest('hex').toUpperCase();
        assert.equal(await corpus.count(absent), listed.get(absent) ?? 0);
      }
      const screening = new PasswordScreening({ breached: corpus, failClosed: true });
      await expectCode(screening.assertAcceptable('correct horse battery staple'), 'E_PASSWORD_BREACHED');
    } finally {
      await corpus.close();
    }
    // Hashes without counts (one per line, LF) count as seen once.
    const bare = join(dir, 'bare.txt');
    await writeFile(bare, `${sorted.join('\n')}\n`);
    const bareCorpus = new Sha1HashFile(bare);
    assert.equal(await bareCorpus.count(passwordSha1('password')), 1);
    assert.equal(await bareCorpus.count(passwordSha1('Zq8#r2!vT9@mL4$wP7^k')), 0);
    await bareCorpus.close();
  });
});
