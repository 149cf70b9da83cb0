import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, loadTrustedRoots } from '@bulwark/server';
import { lockfilePackages } from '../tlog/lockfile.js';
import { normaliseRegistryUrl } from '../tlog/registry-client.js';
import { verifyInstalled, type VerifyReport } from '../verify/verify-installed.js';

function findLockfile(path: string): string {
  const candidates = path.endsWith('.json') ? [path] : [join(path, 'package-lock.json'), join(path, 'node_modules', '.package-lock.json')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`no package-lock.json or node_modules/.package-lock.json under ${path}`);
  return found;
}

/** The lockfile's integrity per name@version, for the lockfile-vs-registry comparison. */
function lockIntegrities(file: string): Map<string, string> {
  const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages?: Record<string, { name?: string; version?: string; integrity?: string }> };
  const map = new Map<string, string>();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key || !entry.version || !entry.integrity) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    map.set(`${name}@${entry.version}`, entry.integrity);
  }
  return map;
}

function printSummary(report: VerifyReport): void {
  const out = process.stdout;
  out.write(`verified ${report.summary.total} package(s) from ${report.registry} (${report.keys} registry key(s))\n`);
  out.write(`  integrity:    ${report.summary.integrity} verified\n`);
  out.write(`  signatures:   ${report.summary.signatures} verified\n`);
  out.write(`  attestations: ${report.summary.attestations} verified\n`);
  for (const p of report.packages.filter((r) => r.problems.length > 0 || [r.integrity, r.signatures, r.attestations].some((c) => c === 'invalid' || c === 'missing'))) {
    out.write(`FAIL ${p.name}@${p.version}: integrity ${p.integrity}, signatures ${p.signatures}, attestations ${p.attestations}\n`);
    for (const problem of p.problems) out.write(`     ${problem}\n`);
  }
  out.write(report.ok ? 'ok\n' : `${report.summary.failed} package(s) failed verification\n`);
}

/** `bulwark verify [path]`: integrity, registry signatures and attestations of an installed tree (AUTHZ-3c). */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('verify an installed tree (package-lock.json or node_modules) against the registry: tarball integrity, registry signatures, provenance attestations')
    .argument('[path]', 'project directory or lockfile', '.')
    .option('--registry <url>', 'the registry the tree was installed from (default $npm_config_registry or http://127.0.0.1:4873/)')
    .option('--trusted-root <file...>', 'extra Sigstore trusted_root.json files (added to provenance.trustedRoots from the Bulwark config)')
    .option('--no-public-good', 'do not trust the Sigstore public-good root')
    .option('--json', 'print the full report as JSON')
    .action(async (path: string, opts: { registry?: string; trustedRoot?: string[]; publicGood: boolean; json?: boolean }) => {
      const registry = normaliseRegistryUrl(opts.registry ?? process.env.npm_config_registry ?? 'http://127.0.0.1:4873/');
      const config = loadConfig({ env: process.env });
      const trustedRoots = loadTrustedRoots({
        provenance: { ...config.provenance, publicGood: opts.publicGood && config.provenance.publicGood, trustedRoots: [...config.provenance.trustedRoots, ...(opts.trustedRoot ?? [])] },
      });
      const lockfile = findLockfile(resolve(path));
      const integrities = lockIntegrities(lockfile);
      const refs = (await lockfilePackages(lockfile, registry)).map((r) => ({ ...r, integrity: integrities.get(`${r.name}@${r.version}`) }));
      const report = await verifyInstalled({ registry, packages: refs, trustedRoots });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printSummary(report);
      if (!report.ok) process.exitCode = 1;
    });
}
