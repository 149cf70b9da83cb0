// Starts a real `bulwark serve` child process on a fresh data dir and drives the admin commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanEnv, makeTempDir, removeDir, repoRoot, runProcess, type RunResult } from './util.js';

export interface RegistryOptions {
  /** Mount the registry under a path prefix, e.g. '/npm'. */
  basePath?: string;
  /** Written to a JSON file and passed with --config. */
  config?: Record<string, unknown>;
  /** An existing config file passed with --config (wins over `config`). */
  configFile?: string;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
  /** Reuse a data dir instead of a fresh temp one (it is then not deleted on cleanup). */
  dataDir?: string;
  /** Extra CLI flags after `serve`. */
  extraArgs?: string[];
  startTimeoutMs?: number;
}

export interface LogLine {
  raw: string;
  json?: Record<string, unknown>;
}

export interface AdminTokenOptions {
  packages?: string[];
  scope?: string;
  readOnly?: boolean;
  expires?: string;
  /** An automation token (no per-request OTP). Default: true when the user was made with TOTP here. */
  bypass2fa?: boolean;
}

export interface RunningRegistry {
  /** Registry URL as announced, always with a trailing slash (base path included). */
  readonly url: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number;
  /** Every stdout/stderr line the server printed, across restarts. */
  readonly logs: LogLine[];
  /** Absolute URL of a registry path (`path` without leading slash is fine too). */
  urlOf(path: string): string;
  /** SIGTERM and wait for exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL, no chance to flush. */
  kill9(): Promise<void>;
  /** Start again on the same data dir and, by default, the same port. */
  restart(opts?: { samePort?: boolean }): Promise<void>;
  /**
   * `bulwark admin user add`; by default with a TOTP authenticator (`--totp`), since every write
   * needs a second factor (AUTHN-3b): returns its otpauth:// URI (null with `totp: false`).
   */
  adminUser(name: string, email: string, password: string, opts?: { admin?: boolean; totp?: boolean }): Promise<string | null>;
  /** The otpauth:// URI of a user made by adminUser with TOTP. */
  totpUri(user: string): string;
  adminToken(user: string, opts?: AdminTokenOptions): Promise<string>;
  /** Runs `bulwark <args>` against this data dir (adds --data-dir). */
  cli(args: string[], input?: string): Promise<RunResult>;
  /** stop() and delete the temp dirs. */
  close(): Promise<void>;
}

export function cliBinPath(): string {
  return join(repoRoot(), 'packages/cli/dist/src/bin.js');
}

export function isServerBuilt(): boolean {
  return existsSync(cliBinPath());
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) {
      try { c.kill('SIGKILL'); } catch { /* already gone */ }
    }
  });
}

function normaliseBasePath(p: string | undefined): string {
  if (!p || p === '/') return '';
  return '/' + p.replace(/^\/+|\/+$/g, '');
}

/** Starts `bulwark serve --host 127.0.0.1 --port 0 --data-dir <fresh>` and waits for "bulwark listening". */
export async function spawnRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  installExitHook();
  const bin = cliBinPath();
  if (!existsSync(bin)) throw new Error(`bulwark CLI is not built: ${bin} is missing (run npm run build)`);
  const workDir = await makeTempDir('bulwark-reg-');
  const dataDir = opts.dataDir ?? join(workDir, 'data');
  let configFile = opts.configFile;
  if (!configFile && opts.config) {
    configFile = join(workDir, 'config.json');
    await writeFile(configFile, JSON.stringify(opts.config, null, 2));
  }
  const basePath = normaliseBasePath(opts.basePath);
  const logs: LogLine[] = [];
  let child: ChildProcess | undefined;
  let port = 0;
  let url = '';

  const start = (wantedPort: number): Promise<void> => new Promise((resolve, reject) => {
    const args = [bin, 'serve', '--host', '127.0.0.1', '--port', String(wantedPort), '--data-dir', dataDir];
    if (basePath) args.push('--base-path', basePath);
    if (configFile) args.push('--config', configFile);
    if (opts.extraArgs) args.push(...opts.extraArgs);
    const env = { ...cleanEnv(), ...opts.env };
    const c = spawn(process.execPath, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    live.add(c);
    let settled = false;
    let tail = '';
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      c.kill('SIGKILL');
      reject(new Error(`bulwark did not print "bulwark listening" within ${opts.startTimeoutMs ?? 20000} ms. Output:\n${tail}`));
    }, opts.startTimeoutMs ?? 20_000);
    const onLine = (line: string) => {
      if (!line.trim()) return;
      let json: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
      } catch { /* not JSON */ }
      logs.push(json ? { raw: line, json } : { raw: line });
      if (tail.length < 20_000) tail += line + '\n';
      if (!settled && json && json.msg === 'bulwark listening' && typeof json.url === 'string') {
        settled = true;
        clearTimeout(timer);
        const u = new URL(json.url);
        port = Number(u.port);
        url = json.url.endsWith('/') ? json.url : json.url + '/';
        resolve();
      }
    };
    const wire = (stream: NodeJS.ReadableStream | null) => {
      if (!stream) return;
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => {
        buf += d;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      stream.on('end', () => { if (buf) onLine(buf); buf = ''; });
    };
    wire(c.stdout);
    wire(c.stderr);
    c.on('exit', (code, signal) => {
      live.delete(c);
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(new Error(`bulwark exited (code ${code}, signal ${signal}) before listening. Output:\n${tail}`));
      }
    });
  });

  const waitExit = (c: ChildProcess, killAfterMs: number): Promise<void> => new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    const t = setTimeout(() => c.kill('SIGKILL'), killAfterMs);
    c.once('exit', () => { clearTimeout(t); resolve(); });
  });

  try {
    await start(0);
  } catch (err) {
    await removeDir(workDir);
    throw err;
  }

  const runCli = (args: string[], input?: string): Promise<RunResult> =>
    runProcess(process.execPath, [bin, ...args, '--data-dir', dataDir], { cwd: workDir, env: { ...cleanEnv(), ...opts.env }, input, timeoutMs: 60_000 });

  const totpUris = new Map<string, string>();
  const reg: RunningRegistry = {
    get url() { return url; },
    get origin() { return new URL(url).origin; },
    get host() { return `127.0.0.1:${port}`; },
    get port() { return port; },
    dataDir,
    get pid() { return child?.pid ?? -1; },
    logs,
    urlOf(path: string) {
      return url + path.replace(/^\/+/, '');
    },
    async stop() {
      const c = child;
      if (!c) return;
      c.kill('SIGTERM');
      await waitExit(c, 10_000);
    },
    async kill9() {
      const c = child;
      if (!c) return;
      c.kill('SIGKILL');
      await waitExit(c, 5_000);
    },
    async restart(r = {}) {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill('SIGTERM');
        await waitExit(c, 10_000);
      }
      const samePort = r.samePort ?? true;
      let lastErr: unknown;
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await start(samePort ? port : 0);
          return;
        } catch (err) {
          lastErr = err;
          await new Promise((res) => setTimeout(res, 300));
        }
      }
      throw lastErr;
    },
    async adminUser(name, email, password, o = {}) {
      const args = ['admin', 'user', 'add', name, '--email', email, '--password-stdin'];
      if (o.admin) args.push('--admin');
      const totp = o.totp ?? true;
      if (totp) args.push('--totp');
      const r = await runCli(args, password + '\n');
      if (r.code !== 0) throw new Error(`admin user add ${name} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
      if (!totp) return null;
      const uri = /otpauth:\/\/\S+/.exec(r.stdout)?.[0];
      if (!uri) throw new Error(`admin user add --totp printed no otpauth URI:\n${r.stdout}`);
      totpUris.set(name, uri);
      return uri;
    },
    totpUri(user) {
      const uri = totpUris.get(user);
      if (!uri) throw new Error(`${user} was not made with TOTP by adminUser`);
      return uri;
    },
    async adminToken(user, o = {}) {
      const args = ['admin', 'token', 'create', user];
      if (o.packages?.length) args.push('--packages', o.packages.join(','));
      if (o.scope) args.push('--scope', o.scope);
      if (o.readOnly) args.push('--read-only');
      if (o.expires) args.push('--expires', o.expires);
      if (o.bypass2fa ?? totpUris.has(user)) args.push('--bypass-2fa');
      const r = await runCli(args);
      if (r.code !== 0) throw new Error(`admin token create ${user} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
      const m = /bwk_[A-Za-z0-9_\-.~+/=]+/.exec(r.stdout);
      if (!m) throw new Error(`admin token create printed no bwk_ token:\n${r.stdout}\n${r.stderr}`);
      return m[0];
    },
    cli: runCli,
    async close() {
      await reg.stop();
      await removeDir(workDir);
    },
  };
  return reg;
}
