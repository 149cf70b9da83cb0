import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeContext, SampleVersion } from './context.js';
import type { Evidence } from './types.js';

export interface NpmRun {
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface NpmProject {
  readonly ran: boolean;
  readonly reason: string;
  readonly sample?: SampleVersion;
  readonly install?: NpmRun;
  readonly lock?: Record<string, unknown>;
  readonly sbom?: NpmRun;
  readonly signatures?: NpmRun;
}

function npm(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<NpmRun> {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ command: `npm ${args.filter((a) => !a.startsWith('--registry')).join(' ')}`, code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export function npmEvidence(run: NpmRun, result: string): Evidence {
  const excerpt = (run.stdout.trim() || run.stderr.trim()).slice(0, 300);
  return { kind: 'npm', what: run.command, result: `exit ${run.code}; ${result}`, ...(excerpt ? { excerpt } : {}) };
}

/**
 * The real npm CLI, anonymously, in a scratch project: install one sampled package (which also
 * makes npm POST the audit bulk endpoint), then `npm sbom` and `npm audit signatures`. Only reads.
 */
export function npmProject(ctx: ProbeContext): Promise<NpmProject> {
  return ctx.once('npm-project', async (): Promise<NpmProject> => {
    const bin = ctx.options.npm;
    if (!bin) return { ran: false, reason: 'the npm CLI probes are off (--no-npm, or the in-registry self-assessment)' };
    const samples = await ctx.samples();
    const sample = samples[0];
    if (!sample) return { ran: false, reason: 'no published package was found to install (pass --package NAME)' };
    const dir = await mkdtemp(join(tmpdir(), 'bulwark-assess-npm-'));
    try {
      const registry = ctx.http.url('');
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'bulwark-assess-scratch', version: '1.0.0', private: true }));
      await writeFile(join(dir, '.npmrc'), `registry=${registry}\n`);
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH, HOME: dir, npm_config_cache: join(dir, '.cache'), npm_config_userconfig: join(dir, '.npmrc'),
        npm_config_registry: registry, npm_config_update_notifier: 'false', npm_config_fund: 'false',
      };
      const install = await npm(bin, ['install', `${sample.name}@${sample.version}`, '--ignore-scripts', '--no-fund', `--registry=${registry}`], dir, env);
      let lock: Record<string, unknown> | undefined;
      try { lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as Record<string, unknown>; } catch { lock = undefined; }
      if (install.code !== 0) return { ran: true, reason: 'npm install failed', sample, install, ...(lock ? { lock } : {}) };
      const sbom = await npm(bin, ['sbom', '--sbom-format', 'cyclonedx', `--registry=${registry}`], dir, env);
      const signatures = await npm(bin, ['audit', 'signatures', '--json', `--registry=${registry}`], dir, env);
      return { ran: true, reason: '', sample, install, ...(lock ? { lock } : {}), sbom, signatures };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
