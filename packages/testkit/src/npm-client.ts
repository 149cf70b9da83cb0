// Drives the real npm CLI (the one on PATH), pnpm and yarn berry inside a throwaway sandbox:
// its own HOME, cache, userconfig, store and no network beyond the registry given.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanEnv, makeTempDir, removeDir, repoRoot, runProcess, type RunResult } from './util.js';

export interface ClientAuth {
  /** Registry URL the token is for (its nerf dart is derived from it). */
  url: string;
  token: string;
}

export interface ClientSandboxOptions {
  /** Registry URL (with trailing slash, base path included). */
  registry: string;
  /** Token for `registry`. */
  token?: string;
  /** Further credentials, e.g. for the origin behind a proxy. */
  auth?: ClientAuth[];
  /** Extra .npmrc settings (key=value). */
  npmrc?: Record<string, string | number | boolean>;
  /** Keep `audit=false` out of the config (default: audit off). */
  audit?: boolean;
}

export interface ClientRunOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

/** `//host:port/path/` as npm keys credentials by. */
export function nerfDart(url: string): string {
  const u = new URL(url);
  let path = u.pathname;
  if (!path.endsWith('/')) path = path.slice(0, path.lastIndexOf('/') + 1);
  return `//${u.host}${path}`;
}

export function pnpmBinPath(): string {
  return join(repoRoot(), 'node_modules/.bin/pnpm');
}

export function yarnJsPath(): string {
  return join(repoRoot(), 'node_modules/@yarnpkg/cli-dist/bin/yarn.js');
}

export class ClientSandbox {
  readonly root: string;
  readonly home: string;
  readonly cache: string;
  readonly userconfig: string;
  registry: string;
  private readonly opts: ClientSandboxOptions;
  private projectCount = 0;

  private constructor(root: string, opts: ClientSandboxOptions) {
    this.root = root;
    this.home = join(root, 'home');
    this.cache = join(root, 'npm-cache');
    this.userconfig = join(root, 'home', '.npmrc');
    this.registry = opts.registry.replace(/\/?$/, '/');
    this.opts = opts;
  }

  static async create(opts: ClientSandboxOptions): Promise<ClientSandbox> {
    const root = await makeTempDir('bulwark-client-');
    const s = new ClientSandbox(root, opts);
    await mkdir(s.home, { recursive: true });
    await mkdir(s.cache, { recursive: true });
    await s.writeNpmrc();
    return s;
  }

  /** The default .npmrc: registry, credentials, quiet and fast-retry settings. */
  npmrcLines(): string[] {
    const lines = [`registry=${this.registry}`];
    if (this.opts.token) lines.push(`${nerfDart(this.registry)}:_authToken=${this.opts.token}`);
    for (const a of this.opts.auth ?? []) lines.push(`${nerfDart(a.url)}:_authToken=${a.token}`);
    lines.push('update-notifier=false', 'fund=false', 'color=false', 'progress=false', 'unicode=true',
      'fetch-retry-mintimeout=50', 'fetch-retry-maxtimeout=200');
    if (!this.opts.audit) lines.push('audit=false');
    for (const [k, v] of Object.entries(this.opts.npmrc ?? {})) lines.push(`${k}=${v}`);
    return lines;
  }

  async writeNpmrc(lines: string[] = this.npmrcLines()): Promise<void> {
    await writeFile(this.userconfig, lines.join('\n') + '\n');
  }

  readNpmrc(): Promise<string> {
    return readFile(this.userconfig, 'utf8');
  }

  /** Replace the credentials (undefined = none) and rewrite the .npmrc. */
  async setToken(token: string | undefined): Promise<void> {
    this.opts.token = token;
    await this.writeNpmrc();
  }

  async clearCache(): Promise<void> {
    await rm(this.cache, { recursive: true, force: true });
    await mkdir(this.cache, { recursive: true });
  }

  /** Environment for npm: no inherited npm_* config, throwaway HOME/cache/userconfig/globalconfig. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...cleanEnv(),
      HOME: this.home,
      USERPROFILE: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_CACHE_HOME: join(this.home, '.cache'),
      XDG_DATA_HOME: join(this.home, '.local/share'),
      XDG_STATE_HOME: join(this.home, '.local/state'),
      npm_config_userconfig: this.userconfig,
      npm_config_globalconfig: join(this.root, 'npmrc-global'),
      npm_config_cache: this.cache,
      npm_config_prefix: join(this.root, 'global-prefix'),
      LANG: 'C.UTF-8',
      ...extra,
    };
  }

  /** Runs the `npm` on PATH. */
  npm(args: string[], o: ClientRunOptions = {}): Promise<RunResult> {
    return runProcess('npm', args, { cwd: o.cwd ?? this.root, env: this.env(o.env), input: o.input, timeoutMs: o.timeoutMs ?? 180_000 });
  }

  /** A fresh project folder with a package.json (and optional dependencies). */
  async project(pkg: Record<string, unknown> = {}): Promise<string> {
    const dir = join(this.root, `project-${++this.projectCount}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `project-${this.projectCount}`, version: '1.0.0', private: true, ...pkg }, null, 2) + '\n');
    return dir;
  }

  // --- pnpm -------------------------------------------------------------------------------

  private async writePnpmConfig(): Promise<void> {
    const lines = [`registry=${this.registry}`];
    if (this.opts.token) lines.push(`${nerfDart(this.registry)}:_authToken=${this.opts.token}`);
    for (const a of this.opts.auth ?? []) lines.push(`${nerfDart(a.url)}:_authToken=${a.token}`);
    lines.push(`store-dir=${join(this.root, 'pnpm-store')}`, `cache-dir=${join(this.root, 'pnpm-cache')}`,
      `state-dir=${join(this.root, 'pnpm-state')}`, 'update-notifier=false', 'fetch-retry-mintimeout=50', 'fetch-retry-maxtimeout=200');
    await writeFile(join(this.root, 'pnpmrc'), lines.join('\n') + '\n');
  }

  /** Runs the pnpm devDependency of the repo with its own store and config. */
  async pnpm(args: string[], o: ClientRunOptions = {}): Promise<RunResult> {
    await this.writePnpmConfig();
    const env = this.env({ npm_config_userconfig: join(this.root, 'pnpmrc'), ...o.env });
    return runProcess(pnpmBinPath(), args, { cwd: o.cwd ?? this.root, env, input: o.input, timeoutMs: o.timeoutMs ?? 180_000 });
  }

  // --- yarn berry -------------------------------------------------------------------------

  /** .yarnrc.yml for a project folder: this registry, token, local cache, node_modules linker. */
  async writeYarnrc(projectDir: string): Promise<void> {
    const host = new URL(this.registry).hostname;
    const lines = [
      `npmRegistryServer: ${JSON.stringify(this.registry.replace(/\/$/, ''))}`,
      'unsafeHttpWhitelist:',
      `  - ${JSON.stringify(host)}`,
      ...(this.opts.token ? [`npmAuthToken: ${JSON.stringify(this.opts.token)}`, 'npmAlwaysAuth: true'] : []),
      'enableGlobalCache: false',
      `cacheFolder: ${JSON.stringify(join(this.root, 'yarn-cache'))}`,
      'nodeLinker: node-modules',
      'enableTelemetry: false',
      'enableImmutableInstalls: false',
      'enableProgressBars: false',
      'enableNetwork: true',
      // yarn >= 4.10 quarantines versions younger than a day by default; test packages are seconds old.
      'npmMinimalAgeGate: 0',
    ];
    await writeFile(join(projectDir, '.yarnrc.yml'), lines.join('\n') + '\n');
  }

  /** Runs yarn berry (node_modules/@yarnpkg/cli-dist/bin/yarn.js) with node. */
  async yarn(args: string[], o: ClientRunOptions & { cwd: string }): Promise<RunResult> {
    const env = this.env({
      YARN_ENABLE_TELEMETRY: '0',
      YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
      YARN_ENABLE_GLOBAL_CACHE: 'false',
      YARN_GLOBAL_FOLDER: join(this.root, 'yarn-global'),
      YARN_IGNORE_PATH: '1',
      ...o.env,
    });
    return runProcess(process.execPath, [yarnJsPath(), ...args], { cwd: o.cwd, env, input: o.input, timeoutMs: o.timeoutMs ?? 180_000 });
  }

  async close(): Promise<void> {
    await removeDir(this.root);
  }
}

/** Shorthand for ClientSandbox.create. */
export function npmSandbox(opts: ClientSandboxOptions): Promise<ClientSandbox> {
  return ClientSandbox.create(opts);
}
