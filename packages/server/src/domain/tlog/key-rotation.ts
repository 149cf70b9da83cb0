import { encodeBase64, decodeBase64 } from './base64.js';
import type { NoteSigner, NoteVerifier } from './note-keys.js';

/**
 * A log key rotation is authorised by the OLD key: it signs a statement naming both verifier
 * keys. A client that pinned the old key can then follow the rotation; someone who controls the
 * registry's database but not the old key cannot.
 */
function statementText(oldKey: string, newKey: string): Uint8Array {
  return new TextEncoder().encode(`bulwark transparency log key rotation\n${oldKey}\n${newKey}\n`);
}

export function signKeyRotation(oldSigner: NoteSigner, oldKey: string, newKey: string): string {
  return encodeBase64(oldSigner.sign(statementText(oldKey, newKey)));
}

export function verifyKeyRotation(oldVerifier: NoteVerifier, oldKey: string, newKey: string, statement: string): boolean {
  const signature = decodeBase64(statement);
  return signature !== undefined && oldVerifier.verify(statementText(oldKey, newKey), signature);
}
