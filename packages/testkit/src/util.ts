// Small shared helpers of the testkit: temp directories, hashes, child process runs.
import { spawn, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (this file is packages/testkit/dist/src/util.js once compiled). */
export function repoRoot(): string {
  return process.env.BULWARK_REPO_ROOT ?? fileURLToPath(new URL('../../../../', import.meta.url));
}

/** A fresh directory under the OS temp dir; removed by `removeDir` unless BULWARK_KEEP_TMP is set. */
export async function makeTempDir(prefix = 'bulwark-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  if (process.env.BULWARK_KEEP_TMP) return;
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

export function sha512Hex(data: Buffer | Uint8Array): string {
  return createHash('sha512').update(data).digest('hex');
}

export function sha1Hex(data: Buffer | Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/** Subresource-integrity string as npm computes it: `sha512-<base64>`. */
export function integrityOf(data: Buffer | Uint8Array): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

/** The hex digest inside a `sha512-<base64>` SRI string. */
export function hexFromIntegrity(sri: string): string {
  const first = sri.trim().split(/\s+/)[0] ?? '';
  const m = /^sha512-(.+)$/.exec(first);
  if (!m || !m[1]) throw new Error(`not a sha512 SRI: ${sri}`);
  return Buffer.from(m[1], 'base64').toString('hex');
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Runs a program to completion and collects its output; never throws on a non-zero exit. */
export function runProcess(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const spawnOpts: SpawnOptions = { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] };
    const child = spawn(cmd, [...args], spawnOpts);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 180_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin!.on('error', () => { /* the child may exit before reading its input */ });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/** Environment of the current process without any npm_/NPM_CONFIG_/YARN_/PNPM_ variables. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    const lower = k.toLowerCase();
    if (lower.startsWith('npm_') || lower.startsWith('yarn_') || lower.startsWith('pnpm_') || lower === 'node_options'
      || lower === 'init_cwd' || lower.endsWith('_proxy')) continue;
    env[k] = v;
  }
  env.NO_UPDATE_NOTIFIER = '1';
  return env;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Formats a run result for assertion messages. */
export function describeRun(r: RunResult): string {
  return `exit=${r.code} signal=${r.signal}${r.timedOut ? ' (timed out)' : ''}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/**
 * The steering team's shared fixtures (`../shared/fixtures` beside the project): BULWARK_SHARED_FIXTURES,
 * else beside this checkout, else the machine's /work/shared. Tests that need them fail loudly
 * without them; they never skip.
 */
export function sharedFixturesDir(): string {
  const candidates = [process.env.BULWARK_SHARED_FIXTURES, join(repoRoot(), '..', 'shared', 'fixtures'), '/work/shared/fixtures'];
  const found = candidates.find((dir): dir is string => typeof dir === 'string' && existsSync(dir));
  if (!found) throw new Error(`the shared fixtures are missing (looked in ${candidates.filter(Boolean).join(', ')}); set BULWARK_SHARED_FIXTURES`);
  return found;
}
