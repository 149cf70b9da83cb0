import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { formatAnomaly } from '../tlog/anomalies.js';
import { lockfilePackages, parsePackageRef, type PackageRef } from '../tlog/lockfile.js';
import { monitorFeed } from '../tlog/monitor.js';
import { normaliseRegistryUrl } from '../tlog/registry-client.js';
import { formatCheck } from '../tlog/report.js';
import { defaultStatePath } from '../tlog/state-file.js';
import { verifyLog } from '../tlog/verify.js';

/** Exit codes: 0 verified / no anomalies, 1 verification failed, 2 usage error, 3 anomalies found. */
class UsageError extends Error {}

function usageExits(cmd: Command): Command {
  return cmd.exitOverride((err) => {
    throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function registryOf(raw: string): string {
  try {
    return normaliseRegistryUrl(raw);
  } catch (err) {
    throw new UsageError(`--registry: ${(err as Error).message}`);
  }
}

async function runWithExitCode(json: boolean | undefined, fn: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await fn();
  } catch (err) {
    const usage = err instanceof UsageError;
    const message = (err as Error).message;
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    process.stderr.write(`bulwark tlog: ${message}\n`);
    process.exitCode = usage ? 2 : 1;
  }
}

interface VerifyFlags { registry: string; key?: string; keyFile?: string; state?: string; package: string[]; lockfile?: string; audit?: boolean; json?: boolean; witness: string[]; quorum?: string }

function verifyCommand(): Command {
  return usageExits(new Command('verify'))
    .description('verify the log\'s signed checkpoint, its consistency with the last one seen, and inclusion of packages')
    .requiredOption('--registry <url>', 'registry URL')
    .option('--key <vkey>', 'the log\'s verifier key (C2SP note format); default: pinned in the state file, or trusted on first use')
    .option('--key-file <file>', 'read the verifier key from a file')
    .option('--state <file>', `state file (default ${defaultStatePath()})`)
    .option('--package <name@version>', 'a version whose publish entry must be in the log (repeatable)', collect, [])
    .option('--lockfile <file>', 'verify every package of an npm lockfile resolved from this registry')
    .option('--audit', 'fetch all tiles and entry bundles and recompute the tree')
    .option('--witness <vkey>', 'a witness\'s cosignature verifier key (C2SP tlog-cosignature; repeatable)', collect, [])
    .option('--quorum <n>', 'how many of the --witness keys must have cosigned the checkpoint (default: all of them)')
    .option('--json', 'print one JSON object')
    .action(async (opts: VerifyFlags) => runWithExitCode(opts.json, async () => {
      const registry = registryOf(opts.registry);
      if (opts.key !== undefined && opts.keyFile !== undefined) throw new UsageError('give --key or --key-file, not both');
      const key = opts.keyFile !== undefined ? (await readFile(opts.keyFile, 'utf8')).trim() : opts.key?.trim();
      let packages: PackageRef[];
      try {
        packages = opts.package.map(parsePackageRef);
      } catch (err) {
        throw new UsageError(`--package: ${(err as Error).message}`);
      }
      if (opts.lockfile !== undefined) packages.push(...await lockfilePackages(resolve(opts.lockfile), registry));
      const quorum = opts.quorum === undefined ? opts.witness.length : Number(opts.quorum);
      if (!Number.isInteger(quorum) || quorum < 0 || quorum > opts.witness.length) throw new UsageError(`--quorum must be a whole number from 0 to the number of --witness keys (${opts.witness.length})`);
      const result = await verifyLog({
        registry, key, statePath: resolve(opts.state ?? defaultStatePath()), packages, audit: opts.audit === true,
        witnesses: opts.witness.map((w) => w.trim()), quorum,
        warn: (line) => process.stderr.write(`${line}\n`),
      });
      const { report } = result;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ok: report.ok, registry: result.registry, checkpoint: result.checkpoint ?? null, checks: report.checks, failures: report.failures })}\n`);
      } else {
        for (const c of report.checks) process.stdout.write(`${formatCheck(c)}\n`);
        process.stdout.write(report.ok ? `verified ${result.registry}\n` : `verification FAILED for ${result.registry}: ${report.failures.length} problem(s)\n`);
      }
      return report.ok ? 0 : 1;
    }));
}

interface MonitorFlags { registry: string; watch?: string; since?: string; state?: string; json?: boolean; once?: boolean; interval: string }

function monitorCommand(): Command {
  return usageExits(new Command('monitor'))
    .description('follow the log\'s changes feed and report anomalies for watched packages')
    .requiredOption('--registry <url>', 'registry URL')
    .option('--watch <names>', 'comma-separated package names (default: all)')
    .option('--since <index>', 'start at this log index instead of where the state file left off')
    .option('--state <file>', `state file (default ${defaultStatePath()})`)
    .option('--interval <seconds>', 'seconds between polls', '5')
    .option('--json', 'one JSON object per anomaly')
    .option('--once', 'process what the feed has now and exit (0: no anomalies, 3: anomalies)')
    .action(async (opts: MonitorFlags) => runWithExitCode(opts.json, async () => {
      const registry = registryOf(opts.registry);
      if (opts.since !== undefined && !/^\d+$/.test(opts.since)) throw new UsageError('--since must be a log index');
      const interval = Number(opts.interval);
      if (!Number.isFinite(interval) || interval <= 0) throw new UsageError('--interval must be a positive number of seconds');
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      const count = await monitorFeed({
        registry,
        watch: (opts.watch ?? '').split(',').map((s) => s.trim()).filter(Boolean),
        since: opts.since === undefined ? undefined : Number(opts.since),
        statePath: resolve(opts.state ?? defaultStatePath()),
        once: opts.once === true,
        intervalMs: interval * 1000,
        signal: stop.signal,
        onAnomaly: (a) => process.stdout.write(`${opts.json ? JSON.stringify(a) : formatAnomaly(a)}\n`),
      });
      return count > 0 ? 3 : 0;
    }));
}

/** GEN-3b: `bulwark tlog verify` and `bulwark tlog monitor`. */
export function tlogCommand(): Command {
  return usageExits(new Command('tlog'))
    .description('verify and monitor the registry\'s transparency log')
    .addCommand(verifyCommand())
    .addCommand(monitorCommand());
}
