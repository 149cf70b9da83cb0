import {
  decodeBase64, encodeBase64, openCheckpoint, parseCosignatureVerifierKey, parseVerifierKey, verifyConsistency, verifyKeyRotation, type Checkpoint,
} from '@bulwark/server/domain/tlog/index';
import type { RegistryClient } from './registry-client.js';
import type { Report } from './report.js';
import type { VerifyState } from './state-file.js';

/** The key to verify checkpoints with: given by the user, else pinned in the state, else TOFU. */
export async function pinnedKey(
  client: RegistryClient, given: string | undefined, previous: VerifyState | undefined, report: Report, warn: (line: string) => void,
): Promise<string | undefined> {
  if (given !== undefined) {
    if (previous && previous.verifierKey !== given) {
      report.fail('key', `the given key ${given} differs from the key pinned in the state file (${previous.verifierKey}); remove the state entry if the log key was really rotated`);
      return undefined;
    }
    report.pass('key', `using the given key ${given}`);
    return given;
  }
  const served = await client.verifierKey();
  if (previous) {
    if (served !== previous.verifierKey) {
      const chain = await followRotations(client, previous.verifierKey, served);
      if (chain === undefined) {
        report.fail('key', `the registry now serves the key ${served}, but ${previous.verifierKey} is pinned in the state file, and no rotation signed by the pinned key leads to it`);
        return undefined;
      }
      report.pass('key', `the log key was rotated to ${served}, authorised by the pinned key (log entries ${chain.join(', ')})`);
      return served;
    }
    report.pass('key', `the served key matches the pinned key ${previous.verifierKey}`);
    return served;
  }
  warn(`NOTE: trusting the log key ${served} on first use (no --key given and none pinned in the state file).`);
  warn('NOTE: compare it with the key the registry operator publishes; it is pinned from now on.');
  report.pass('key', `trusted on first use: ${served}`);
  return served;
}

/**
 * Follows `signing-key-rotated` entries from the pinned key to the served one. Each step must be
 * signed by the key it replaces, so whoever controls the registry's database alone cannot swap
 * the key. Returns the entry indexes of the chain, or undefined when there is none.
 */
async function followRotations(client: RegistryClient, pinned: string, served: string): Promise<number[] | undefined> {
  let current = pinned;
  const chain: number[] = [];
  for (let since = 0; ;) {
    const page = await client.entries(since, 1000);
    for (const e of page.entries) {
      if (e.type !== 'signing-key-rotated' || e.oldKey !== current) continue;
      let verifier;
      try {
        verifier = parseVerifierKey(current);
      } catch {
        return undefined;
      }
      if (!verifyKeyRotation(verifier, current, String(e.newKey), String(e.statement))) continue;
      current = String(e.newKey);
      chain.push(e.index);
    }
    if (page.entries.length === 0 || page.next >= page.size) break;
    since = page.next;
  }
  return current === served ? chain : undefined;
}

/**
 * Fetches the checkpoint and checks its signature by `key` and its origin, and that at least
 * `quorum` of the given witnesses cosigned it (a split view must then fool the witnesses too).
 */
export async function fetchCheckpoint(
  client: RegistryClient, key: string, report: Report, witnessKeys: readonly string[] = [], quorum = 0,
): Promise<Checkpoint | undefined> {
  let witnesses;
  try {
    witnesses = witnessKeys.map(parseCosignatureVerifierKey);
  } catch (err) {
    report.fail('witness', `not a witness cosignature key: ${(err as Error).message}`);
    return undefined;
  }
  let verifier;
  try {
    verifier = parseVerifierKey(key);
  } catch (err) {
    report.fail('key', `not a verifier key: ${(err as Error).message}`);
    return undefined;
  }
  try {
    const { checkpoint, note } = openCheckpoint(await client.checkpoint(), verifier, { origin: verifier.name, witnesses });
    report.pass('checkpoint', `${checkpoint.origin} size ${checkpoint.size} root ${encodeBase64(checkpoint.rootHash)}, signature verified`);
    if (witnesses.length > 0) {
      const cosigned = witnesses.filter((w) => note.verified.some((s) => s.name === w.name && s.keyId === w.keyId)).map((w) => w.name);
      if (cosigned.length < quorum) {
        report.fail('witness', `${cosigned.length} of the required ${quorum} witness cosignatures (have: ${cosigned.join(', ') || 'none'})`);
        return undefined;
      }
      report.pass('witness', `cosigned by ${cosigned.join(', ') || 'no witness'} (${cosigned.length} of ${witnesses.length}, quorum ${quorum})`);
    }
    return checkpoint;
  } catch (err) {
    report.fail('checkpoint', `signature check failed at ${client.base}-/tlog/checkpoint: ${(err as Error).message}`);
    return undefined;
  }
}

/** The new checkpoint must extend the one seen last time: never smaller, and consistent. */
export async function checkConsistency(client: RegistryClient, previous: VerifyState | undefined, current: Checkpoint, report: Report): Promise<void> {
  if (!previous) {
    report.pass('consistency', 'no earlier checkpoint in the state file');
    return;
  }
  const oldRoot = decodeBase64(previous.rootHash);
  if (!oldRoot) {
    report.fail('consistency', 'the state file holds a malformed root hash');
    return;
  }
  if (current.size < previous.size) {
    report.fail('consistency', `rollback: the log has ${current.size} entries, but a checkpoint of ${previous.size} entries was verified on ${previous.checkedAt}`);
    return;
  }
  let proof: Uint8Array[] = [];
  if (current.size > previous.size) {
    try {
      proof = (await client.consistencyProof(previous.size, current.size)).map((p) => decodeBase64(p) ?? new Uint8Array());
    } catch (err) {
      report.fail('consistency', `no consistency proof from ${previous.size} to ${current.size}: ${(err as Error).message}`);
      return;
    }
  }
  if (verifyConsistency(previous.size, current.size, proof, oldRoot, current.rootHash)) {
    report.pass('consistency', `size ${current.size} extends the checkpoint of size ${previous.size} seen on ${previous.checkedAt}`);
  } else {
    report.fail('consistency', current.size === previous.size
      ? `split view or rewrite: size ${current.size} has root ${encodeBase64(current.rootHash)}, earlier ${previous.rootHash}`
      : `the consistency proof from size ${previous.size} to ${current.size} does not verify: history was rewritten`);
  }
}
