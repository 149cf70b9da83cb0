import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { decodeSignerKey, formatVerifierKey, generateNoteKey, parseSignerKey, type NoteSigner } from '../../domain/tlog/index.js';

export interface TlogKey {
  readonly signer: NoteSigner;
  /** The public verifier key (`<name>+<id>+<key>`), published at /-/tlog/key. */
  readonly verifierKey: string;
}

/**
 * The transparency log's Ed25519 key, kept in a file (0600) in the C2SP signer-key format. Made
 * on first start, named `origin`; afterwards the file decides the name, so the log keeps its identity.
 */
export function loadOrCreateTlogKey(file: string, origin: string): TlogKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const { signerKey } = generateNoteKey(origin);
    try {
      writeFileSync(file, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
    } catch (writeErr) {
      // Another process created it first: use theirs.
      if ((writeErr as NodeJS.ErrnoException).code !== 'EEXIST') throw writeErr;
    }
    text = readFileSync(file, 'utf8');
  }
  const skey = text.trim();
  const { name, publicKey } = decodeSignerKey(skey);
  return { signer: parseSignerKey(skey), verifierKey: formatVerifierKey(name, publicKey) };
}

function keyOf(skey: string): TlogKey {
  const { name, publicKey } = decodeSignerKey(skey);
  return { signer: parseSignerKey(skey), verifierKey: formatVerifierKey(name, publicKey) };
}

/**
 * Makes a new key with the same name and hands both to `commit` (which records the rotation);
 * only then is the file replaced atomically. The old key is kept beside it as `.retired-<time>`.
 */
export async function rotateTlogKeyFile(file: string, commit: (oldKey: TlogKey, newKey: TlogKey) => Promise<void>): Promise<TlogKey> {
  const oldText = readFileSync(file, 'utf8').trim();
  const oldKey = keyOf(oldText);
  const { signerKey } = generateNoteKey(oldKey.signer.name);
  const newKey = keyOf(signerKey);
  await commit(oldKey, newKey);
  writeFileSync(`${file}.retired-${Date.now()}`, `${oldText}\n`, { mode: 0o600, flag: 'wx' });
  writeFileSync(`${file}.new`, `${signerKey}\n`, { mode: 0o600 });
  renameSync(`${file}.new`, file);
  return newKey;
}
