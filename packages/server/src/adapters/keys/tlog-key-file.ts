import { readFileSync, writeFileSync } from 'node:fs';
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
