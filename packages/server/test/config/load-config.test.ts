import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const MiB = 1024 * 1024;
let dir: string;
let counter = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-config-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(content: unknown): Promise<string> {
  const file = join(dir, `config-${++counter}.json`);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Asserts loadConfig throws a ConfigError whose message names every one of `keys`. */
function assertConfigError(run: () => unknown, ...keys: string[]): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    for (const key of keys) assert.ok(err.message.includes(key), `message does not name ${key}:\n${err.message}`);
    return true;
  });
}

describe('loadConfig', () => {
  test('defaults: loopback on 4873, closed registration, secure limits', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 4873);
    assert.equal(config.dataDir, resolve('.data'));
    assert.equal(config.basePath, '');
    assert.equal(config.publicUrl, null);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.registration, 'closed');
    assert.deepEqual(config.limits, { bodyBytes: 96 * MiB, tarballBytes: 64 * MiB, unpackedBytes: 512 * MiB, tarEntries: 50_000 });
    assert.deepEqual(config.security, { contact: [], policyUrl: null, policyFile: null, expires: null, preferredLanguages: ['en'] });
  });

  test('precedence: defaults < file < BULWARK_* env < flags', async () => {
    const file = await configFile({ port: 1111, host: 'file.example', logLevel: 'warn' });
    const env = { BULWARK_PORT: '2222', BULWARK_HOST: 'env.example' };
    const flags = { port: '3333' };

    const all = loadConfig({ file, env, flags });
    assert.equal(all.port, 3333);
    assert.equal(all.host, 'env.example');
    assert.equal(all.logLevel, 'warn');
    assert.equal(all.registration, 'closed');

    assert.equal(loadConfig({ file, env }).port, 2222);
    assert.equal(loadConfig({ file }).port, 1111);
    assert.equal(loadConfig({ file }).host, 'file.example');
  });

  test('nested settings merge key by key across file, env and flags', async () => {
    const file = await configFile({ limits: { bodyBytes: 10 * MiB, tarEntries: 100 }, security: { contact: ['mailto:file@example.com'] } });
    const config = loadConfig({
      file,
      env: { BULWARK_MAX_TARBALL_BYTES: String(2 * MiB), BULWARK_SECURITY_CONTACT: 'mailto:sec@example.com, https://example.com/report' },
      flags: { 'limits.unpackedBytes': String(20 * MiB) },
    });
    assert.deepEqual(config.limits, { bodyBytes: 10 * MiB, tarballBytes: 2 * MiB, unpackedBytes: 20 * MiB, tarEntries: 100 });
    assert.deepEqual(config.security.contact, ['mailto:sec@example.com', 'https://example.com/report']);
  });

  test('the config file may come from BULWARK_CONFIG', async () => {
    const file = await configFile({ port: 5555 });
    assert.equal(loadConfig({ env: { BULWARK_CONFIG: file } }).port, 5555);
  });

  test('empty env values and undefined flags are ignored', async () => {
    const file = await configFile({ port: 1111 });
    assert.equal(loadConfig({ file, env: { BULWARK_PORT: '' }, flags: { port: undefined } }).port, 1111);
  });

  test('a bad port is refused naming the source', () => {
    assertConfigError(() => loadConfig({ env: { BULWARK_PORT: 'eighty' } }), 'BULWARK_PORT');
    assertConfigError(() => loadConfig({ flags: { port: '-1' } }), '--port');
    assertConfigError(() => loadConfig({ flags: { port: '65536' } }), '/port');
  });

  test('a port out of range in the file is refused naming /port', async () => {
    const file = await configFile({ port: 70000 });
    assertConfigError(() => loadConfig({ file }), '/port', '70000');
    const text = await configFile({ port: '8080' });
    assertConfigError(() => loadConfig({ file: text }), '/port');
  });

  test('an unknown key in the file is refused naming it', async () => {
    const file = await configFile({ prot: 8080 });
    assertConfigError(() => loadConfig({ file }), 'prot');
    const nested = await configFile({ limits: { bodyBytez: 5 } });
    assertConfigError(() => loadConfig({ file: nested }), 'bodyBytez');
  });

  test('a file that is not JSON, or not a JSON object, is refused naming the file', async () => {
    const broken = await configFile('{ "port": 80, }');
    assertConfigError(() => loadConfig({ file: broken }), broken, 'JSON');
    const array = await configFile('[1, 2]');
    assertConfigError(() => loadConfig({ file: array }), array);
    assertConfigError(() => loadConfig({ file: join(dir, 'missing.json') }), 'missing.json');
  });

  test('limits.tarballBytes over limits.bodyBytes is refused', async () => {
    const file = await configFile({ limits: { bodyBytes: 2 * MiB, tarballBytes: 3 * MiB } });
    assertConfigError(() => loadConfig({ file }), 'tarballBytes', 'bodyBytes');
    assertConfigError(() => loadConfig({ env: { BULWARK_MAX_TARBALL_BYTES: String(97 * MiB) } }), 'tarballBytes');
  });

  test('a body limit lowered below the default tarball limit lowers the tarball default with it', async () => {
    const lowered = loadConfig({ file: await configFile({ limits: { bodyBytes: 2 * MiB } }) });
    assert.equal(lowered.limits.bodyBytes, 2 * MiB);
    assert.equal(lowered.limits.tarballBytes, 2 * MiB);
    const raised = loadConfig({ env: { BULWARK_MAX_BODY_BYTES: String(200 * MiB) } });
    assert.equal(raised.limits.tarballBytes, 64 * MiB);
    const explicit = loadConfig({ env: { BULWARK_MAX_BODY_BYTES: String(4 * MiB), BULWARK_MAX_TARBALL_BYTES: String(3 * MiB) } });
    assert.equal(explicit.limits.tarballBytes, 3 * MiB);
  });

  test('a security.contact that is not a mailto:, https: or tel: URI is refused naming it', async () => {
    for (const contact of ['ftp://example.com', 'http://example.com/security', 'security@example.com', 'mailto:']) {
      const file = await configFile({ security: { contact: [contact] } });
      assertConfigError(() => loadConfig({ file }), '/security/contact/0');
    }
    assertConfigError(() => loadConfig({ env: { BULWARK_SECURITY_CONTACT: 'mailto:ok@example.com,javascript:alert(1)' } }), '/security/contact/1');
  });

  test('every problem is listed, not only the first', async () => {
    const file = await configFile({ port: -5, logLevel: 'loud', registration: 'everyone' });
    assertConfigError(() => loadConfig({ file }), '/port', '/logLevel', '/registration');
  });

  test('the result is deeply frozen', () => {
    const config = loadConfig({ flags: { 'security.contact': 'mailto:a@example.com' } });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.limits));
    assert.ok(Object.isFrozen(config.security));
    assert.ok(Object.isFrozen(config.security.contact));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => {
      (config.limits as { bodyBytes: number }).bodyBytes = 1;
    }, TypeError);
    assert.throws(() => {
      (config.security.contact as string[]).push('mailto:b@example.com');
    }, TypeError);
    assert.equal(config.port, 4873);
  });

  test('dataDir is resolved to an absolute path', async () => {
    const relative = loadConfig({ flags: { dataDir: 'some/relative/dir' } });
    assert.ok(isAbsolute(relative.dataDir));
    assert.equal(relative.dataDir, resolve(process.cwd(), 'some/relative/dir'));
    assert.equal(loadConfig({ flags: { dataDir: '/srv/bulwark/../bulwark-data' } }).dataDir, '/srv/bulwark-data');
  });

  test('basePath: "/" becomes the empty prefix and a mount point is kept without trailing slash', () => {
    assert.equal(loadConfig({ flags: { basePath: '/' } }).basePath, '');
    assert.equal(loadConfig({ flags: { basePath: '/npm' } }).basePath, '/npm');
    assert.equal(loadConfig({ env: { BULWARK_BASE_PATH: '/registry/npm' } }).basePath, '/registry/npm');
    assert.equal(loadConfig({ flags: { basePath: '/npm/' } }).basePath, '/npm');
  });

  test('basePath must start with "/" and hold URL-safe segments', () => {
    for (const basePath of ['npm', '/a b', '//', '/npm//x', '/np?m', '/..', '/../x', '/npm/./x', '/.hidden']) {
      assertConfigError(() => loadConfig({ flags: { basePath } }), '/basePath');
    }
  });
});
