// A local Verdaccio 6.8.0 as a reference registry for comparisons (bulwark assess, benches):
// offline (no uplinks), htpasswd auth, open registration, bound to 127.0.0.1. Installed once into
// a cache dir with npm (6.8.0 runs on Node 20 once node-fetch is pinned to 2.7.0, as the shared
// bench script does). Failing to install or start throws: callers must not skip silently.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, makeTempDir, removeDir, runProcess, sleep } from './util.js';

export const VERDACCIO_VERSION = '6.8.0';

export interface RunningVerdaccio {
  readonly url: string;
  readonly logs: string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Installs Verdaccio into a cache dir shared by test runs (BULWARK_VERDACCIO_DIR overrides it). */
export async function installVerdaccio(): Promise<string> {
  const dir = process.env.BULWARK_VERDACCIO_DIR ?? join(tmpdir(), `bulwark-verdaccio-${VERDACCIO_VERSION}`);
  const bin = join(dir, 'node_modules/verdaccio/bin/verdaccio');
  if (existsSync(bin)) return bin;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({
    name: 'bulwark-test-verdaccio', private: true,
    dependencies: { verdaccio: VERDACCIO_VERSION }, overrides: { 'node-fetch': '2.7.0' },
  }));
  const r = await runProcess('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: cleanEnv(), timeoutMs: 600_000 });
  if (r.code !== 0 || !existsSync(bin)) throw new Error(`could not install verdaccio@${VERDACCIO_VERSION} into ${dir}: ${r.stderr.slice(-2000)}`);
  return bin;
}

export async function startVerdaccio(): Promise<RunningVerdaccio> {
  const bin = await installVerdaccio();
  const work = await makeTempDir('bulwark-verdaccio-');
  const port = await freePort();
  const config = [
    `storage: ${join(work, 'storage')}`,
    'auth:',
    `  htpasswd: { file: ${join(work, 'htpasswd')}, max_users: 1000, algorithm: bcrypt, rounds: 4 }`,
    'uplinks: {}',
    'packages:',
    "  '@*/*': { access: $all, publish: $authenticated, unpublish: $authenticated }",
    "  '**': { access: $all, publish: $authenticated, unpublish: $authenticated }",
    `listen: [ '127.0.0.1:${port}' ]`,
    'middlewares: { audit: { enabled: false } }',
    'log: { type: stdout, format: json, level: warn }',
    '',
  ].join('\n');
  await writeFile(join(work, 'config.yaml'), config);
  const logs: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [bin, '-c', join(work, 'config.yaml')], { cwd: work, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && child.exitCode === null; i++) await sleep(100);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await removeDir(work);
  };
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}-/ping`)).ok) return { url, logs, close };
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  await close();
  throw new Error(`verdaccio did not start:\n${logs.join('').slice(-3000)}`);
}

/** Creates a user the way `npm adduser` does; returns its token. */
export async function verdaccioAddUser(v: RunningVerdaccio, name: string, password: string): Promise<string> {
  const res = await fetch(`${v.url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = await res.json() as { token?: string };
  if (!res.ok || !body.token) throw new Error(`verdaccio adduser ${name}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}
