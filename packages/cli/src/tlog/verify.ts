import { encodeBase64 } from '@bulwark/server/domain/tlog/index';
import { auditLog } from './audit.js';
import { checkConsistency, fetchCheckpoint, pinnedKey } from './checkpoint-trust.js';
import { verifyPackage } from './inclusion.js';
import type { PackageRef } from './lockfile.js';
import { RegistryClient } from './registry-client.js';
import { Report } from './report.js';
import { loadState, updateState } from './state-file.js';

export interface VerifyOptions {
  readonly registry: string;
  readonly key?: string;
  readonly statePath: string;
  readonly packages: readonly PackageRef[];
  readonly audit: boolean;
  /** Witness cosignature verifier keys, and how many of them must have cosigned. */
  readonly witnesses?: readonly string[];
  readonly quorum?: number;
  readonly warn: (line: string) => void;
}

export interface VerifyResult {
  readonly report: Report;
  readonly registry: string;
  readonly checkpoint?: { origin: string; size: number; rootHash: string };
}

/**
 * GEN-3b `bulwark tlog verify`: signature, consistency with the last verified checkpoint,
 * inclusion of packages, and optionally a full audit. The state moves only when all passed.
 */
export async function verifyLog(opts: VerifyOptions): Promise<VerifyResult> {
  const client = new RegistryClient(opts.registry);
  const report = new Report();
  const previous = (await loadState(opts.statePath)).verify[client.base];
  const key = await pinnedKey(client, opts.key, previous, report, opts.warn);
  if (!key) return { report, registry: client.base };
  const checkpoint = await fetchCheckpoint(client, key, report, opts.witnesses ?? [], opts.quorum ?? 0);
  if (!checkpoint) return { report, registry: client.base };
  const summary = { origin: checkpoint.origin, size: checkpoint.size, rootHash: encodeBase64(checkpoint.rootHash) };
  await checkConsistency(client, previous, checkpoint, report);
  for (const ref of opts.packages) await verifyPackage(client, ref, checkpoint, report);
  if (opts.audit) await auditLog(client, checkpoint, report);
  if (report.ok) {
    await updateState(opts.statePath, (state) => {
      state.verify[client.base] = { verifierKey: key, ...summary, checkedAt: new Date().toISOString() };
    });
  }
  return { report, registry: client.base, checkpoint: summary };
}
