import { decodeBase64, encodeBase64 } from './base64.js';
import { hasLoneSurrogate, isValidKeyName, type NoteSigner, type NoteVerifier } from './note-keys.js';
import { TlogError, malformed } from './tlog-error.js';

/**
 * C2SP signed-note: a text ending in a newline, a blank line, then one or more lines
 *
 *     — <key name> base64(<4-byte big-endian key ID> || <signature>)
 *
 * (U+2014 em dash). The text is separated from the signatures by the last blank line.
 * Written by hand: no maintained npm package implements C2SP notes; the format is small and its
 * test vectors (Go's sumdb/note, the C2SP examples) pin it down.
 */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature proper, after the key ID. */
  readonly signature: Uint8Array;
}

export interface Note {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface OpenedNote extends Note {
  /** The signatures that verified (also in `signatures`), one per key. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys the caller did not give: kept (witness cosignatures), not trusted. */
  readonly unverified: readonly NoteSignature[];
}

const DASH = '\u2014 ';
/** The spec requires accepting at least 16; Go's note package stops at 100. */
export const MAX_NOTE_SIGNATURES = 100;
// Notes may not carry ASCII control characters other than the newline.
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

/** Splits a note into text and signatures without checking any signature. */
export function parseNote(note: string | Uint8Array): Note {
  const message = typeof note === 'string' ? note : decodeUtf8(note);
  if (CONTROL.test(message) || hasLoneSurrogate(message)) throw malformed('a note must be UTF-8 without control characters');
  if (!message.endsWith('\n')) throw malformed('a note must end with a newline');
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('a note needs a blank line before its signatures');
  const text = message.slice(0, split + 1);
  const lines = message.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`a note may carry at most ${MAX_NOTE_SIGNATURES} signatures`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

export function formatNote(note: Note): string {
  checkText(note.text);
  if (note.signatures.length === 0) throw malformed('a signed note needs at least one signature');
  if (note.signatures.length > MAX_NOTE_SIGNATURES) throw malformed(`a note may carry at most ${MAX_NOTE_SIGNATURES} signatures`);
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join('')}`;
}

/**
 * Signs `text` with each signer. Signatures in `keep` (e.g. witness cosignatures) follow, except
 * those by one of the signers' keys, which the new signatures replace.
 */
export function signNote(text: string, signers: readonly NoteSigner[], keep: readonly NoteSignature[] = []): string {
  checkText(text);
  const bytes = new TextEncoder().encode(text);
  const fresh = signers.map((signer): NoteSignature => {
    if (!isValidKeyName(signer.name)) throw malformed(`invalid key name ${JSON.stringify(signer.name)}`);
    return { name: signer.name, keyId: signer.keyId, signature: signer.sign(bytes) };
  });
  const kept = keep.filter((sig) => !fresh.some((f) => sameKey(f, sig)));
  return formatNote({ text, signatures: [...fresh, ...kept] });
}

/**
 * Parses a note and checks its signatures against `verifiers`. Signatures by other keys are
 * ignored (returned as unverified); a failing signature by a known key rejects the whole note
 * (E_TLOG_BAD_SIGNATURE), as does a note with no signature by any known key (E_TLOG_UNVERIFIED).
 * Two verifiers with one name and key ID are a configuration error (TypeError).
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  verifiers.forEach((v, i) => {
    if (verifiers.findIndex((w) => sameKey(v, w)) !== i) throw new TypeError(`ambiguous key ${v.name}+${v.keyId.toString(16)}`);
  });
  const parsed = parseNote(note);
  const text = new TextEncoder().encode(parsed.text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  for (const sig of parsed.signatures) {
    const verifier = verifiers.find((v) => sameKey(v, sig));
    if (verifier === undefined) {
      if (!unverified.some((u) => sameSignature(u, sig))) unverified.push(sig);
      continue;
    }
    if (!verifier.verify(text, sig.signature)) {
      throw new TlogError('E_TLOG_BAD_SIGNATURE', `invalid signature for key ${sig.name}+${sig.keyId.toString(16).padStart(8, '0')}`);
    }
    if (!verified.some((v) => sameKey(v, sig))) verified.push(sig);
  }
  if (verified.length === 0) throw new TlogError('E_TLOG_UNVERIFIED', 'note has no signature by a known key');
  return { ...parsed, verified, unverified };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(DASH)) throw malformed('a signature line starts with an em dash and a space');
  const rest = line.slice(DASH.length);
  const space = rest.indexOf(' ');
  const name = rest.slice(0, space);
  const bytes = space < 0 ? undefined : decodeBase64(rest.slice(space + 1));
  if (!isValidKeyName(name)) throw malformed('invalid key name in signature line');
  if (bytes === undefined || bytes.length < 5) throw malformed('a signature is base64 of a key ID and signature bytes');
  const keyId = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  return { name, keyId, signature: bytes.subarray(4) };
}

function formatSignatureLine(sig: NoteSignature): string {
  if (!isValidKeyName(sig.name)) throw malformed(`invalid key name ${JSON.stringify(sig.name)}`);
  if (!Number.isInteger(sig.keyId) || sig.keyId < 0 || sig.keyId > 0xffffffff) throw malformed('a key ID is a uint32');
  if (sig.signature.length === 0) throw malformed('empty signature');
  const bytes = new Uint8Array(4 + sig.signature.length);
  new DataView(bytes.buffer).setUint32(0, sig.keyId);
  bytes.set(sig.signature, 4);
  return `${DASH}${sig.name} ${encodeBase64(bytes)}\n`;
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw malformed('note text must end with a newline');
  if (CONTROL.test(text) || hasLoneSurrogate(text)) throw malformed('note text must be UTF-8 without control characters');
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw malformed('a note must be valid UTF-8');
  }
}

function sameKey(a: { name: string; keyId: number }, b: { name: string; keyId: number }): boolean {
  return a.name === b.name && a.keyId === b.keyId;
}

function sameSignature(a: NoteSignature, b: NoteSignature): boolean {
  return sameKey(a, b) && a.signature.length === b.signature.length && a.signature.every((byte, i) => byte === b.signature[i]);
}
