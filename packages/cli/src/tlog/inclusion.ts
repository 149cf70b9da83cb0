import { decodeBase64, verifyInclusion, type Checkpoint } from '@bulwark/server/domain/tlog/index';
import { feedLeafHash } from './entry-bytes.js';
import type { PackageRef } from './lockfile.js';
import type { RegistryClient } from './registry-client.js';
import type { Report } from './report.js';

/**
 * A version's `version-published` entry is in the verified tree and says what the packument says.
 * The proof's size is the checkpoint's, never the server's answer.
 */
export async function verifyPackage(client: RegistryClient, ref: PackageRef, checkpoint: Checkpoint, report: Report): Promise<void> {
  const what = `${ref.name}@${ref.version}`;
  let dist: { tlogIndex?: unknown; integrity?: unknown } | undefined;
  try {
    const doc = await client.packument(ref.name) as { versions?: Record<string, { dist?: typeof dist }> };
    dist = doc.versions?.[ref.version]?.dist;
  } catch (err) {
    report.fail(what, `packument: ${(err as Error).message}`);
    return;
  }
  if (!dist) return report.fail(what, 'the packument has no such version');
  const index = dist.tlogIndex;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return report.fail(what, 'the packument carries no dist.tlogIndex');
  if (index >= checkpoint.size) return report.fail(what, `entry ${index} is not in the checkpoint (size ${checkpoint.size})`);
  const entry = await client.entry(index);
  if (!entry) return report.fail(what, `entry ${index}: missing from the changes feed`);
  const mismatch = (['type', 'name', 'version', 'integrity'] as const).find((field) => {
    const expected = { type: 'version-published', name: ref.name, version: ref.version, integrity: dist!.integrity }[field];
    return entry[field] !== expected;
  });
  if (mismatch) return report.fail(what, `entry ${index}: ${mismatch} is ${JSON.stringify(entry[mismatch])}, the packument says ${JSON.stringify(mismatch === 'type' ? 'version-published' : mismatch === 'integrity' ? dist.integrity : ref[mismatch])}`);
  let proof: Uint8Array[];
  try {
    proof = (await client.inclusionProof(index, checkpoint.size)).map((p) => decodeBase64(p) ?? new Uint8Array());
  } catch (err) {
    return report.fail(what, `entry ${index}: no inclusion proof: ${(err as Error).message}`);
  }
  if (verifyInclusion(feedLeafHash(entry), index, checkpoint.size, proof, checkpoint.rootHash)) {
    report.pass(what, `entry ${index} (integrity ${String(dist.integrity).slice(0, 24)}...) is in the tree of size ${checkpoint.size}`);
  } else {
    report.fail(what, `entry ${index}: the inclusion proof does not verify against the checkpoint root (the entry was altered or is not in the log)`);
  }
}
