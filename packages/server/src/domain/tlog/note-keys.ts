import { createHash } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64.js';
import {
  ED25519_KEY_SIZE, generateEd25519, privateKeyFromSeed, publicKeyFromSeed, publicKeyObject, signEd25519, verifyEd25519,
} from './ed25519.js';
import { malformed } from './tlog-error.js';

/**
 * Signed-note keys (C2SP signed-note, golang.org/x/mod/sumdb/note):
 *
 *     verifier key (vkey):  <name>+<hex key ID>+base64(<type byte> || <public key>)
 *     signer key:           PRIVATE+KEY+<name>+<hex key ID>+base64(<type byte> || <Ed25519 seed>)
 *     key ID:               SHA-256(<name> || 0x0A || <type byte> || <public key>)[:4], big-endian
 */
export const SIGNATURE_TYPE_ED25519 = 0x01;

/** Checks one signature of a note by the key `name` + `keyId`. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** `text` is the note text (UTF-8); `signature` the signature bytes after the key ID. */
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array;
}

/** The parts of a verifier key, whatever its signature type. */
export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly publicKey: Uint8Array;
}

const KEY_ID_HEX = /^[0-9a-f]{8}$/;
const SIGNER_PREFIX = 'PRIVATE+KEY+';

/** Key names are non-empty, without Unicode spaces (\s plus NEL, as Go counts them), `+`, or control characters. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0000-\u001f\u0085]/u.test(name) && !hasLoneSurrogate(name);
}

export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const hash = createHash('sha256').update(name).update(Uint8Array.of(0x0a, type)).update(publicKey).digest();
  return hash.readUInt32BE(0);
}

export function formatVerifierKey(name: string, publicKey: Uint8Array, type = SIGNATURE_TYPE_ED25519): string {
  if (!isValidKeyName(name)) throw malformed(`invalid key name ${JSON.stringify(name)}`);
  const keyId = computeKeyId(name, type, publicKey);
  return `${name}+${hex32(keyId)}+${encodeBase64(Uint8Array.of(type, ...publicKey))}`;
}

/** Splits a vkey and checks its key ID; the caller checks the type and key length it supports. */
export function decodeVerifierKey(vkey: string): VerifierKey {
  const parts = splitKey(vkey);
  if (parts === undefined) throw malformed('a verifier key is <name>+<key ID>+<key>');
  return decodeKeyParts(...parts);
}

/** An Ed25519 (type 0x01) note verifier from its vkey. */
export function parseVerifierKey(vkey: string): NoteVerifier & { readonly publicKey: Uint8Array } {
  const key = decodeVerifierKey(vkey);
  if (key.type !== SIGNATURE_TYPE_ED25519) throw malformed(`unsupported signature type 0x${key.type.toString(16)}`);
  if (key.publicKey.length !== ED25519_KEY_SIZE) throw malformed('an Ed25519 public key is 32 bytes');
  return ed25519Verifier(key.name, key.publicKey);
}

export function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier & { readonly publicKey: Uint8Array } {
  const keyObject = publicKeyObject(publicKey);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey),
    publicKey: new Uint8Array(publicKey),
    verify: (text, signature) => verifyEd25519(keyObject, text, signature),
  };
}

export function formatSignerKey(name: string, seed: Uint8Array): string {
  if (!isValidKeyName(name)) throw malformed(`invalid key name ${JSON.stringify(name)}`);
  const keyId = computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKeyFromSeed(seed));
  return `${SIGNER_PREFIX}${name}+${hex32(keyId)}+${encodeBase64(Uint8Array.of(SIGNATURE_TYPE_ED25519, ...seed))}`;
}

/** The parts of a signer key: its name and Ed25519 seed. Keep the result secret. */
export function decodeSignerKey(skey: string): { readonly name: string; readonly seed: Uint8Array; readonly publicKey: Uint8Array } {
  if (!skey.startsWith(SIGNER_PREFIX)) throw malformed('a signer key starts with PRIVATE+KEY+');
  const parts = splitKey(skey.slice(SIGNER_PREFIX.length));
  if (parts === undefined) throw malformed('a signer key is PRIVATE+KEY+<name>+<key ID>+<key>');
  const [name] = parts;
  const { seed, publicKey } = decodeSignerParts(...parts);
  return { name, seed, publicKey };
}

export interface Ed25519NoteSigner extends NoteSigner {
  /** The vkey that verifies this signer's signatures, to publish. */
  readonly verifierKey: string;
}

export function parseSignerKey(skey: string): Ed25519NoteSigner {
  const { name, seed, publicKey } = decodeSignerKey(skey);
  const privateKey = privateKeyFromSeed(seed);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey),
    verifierKey: formatVerifierKey(name, publicKey),
    sign: (text) => signEd25519(privateKey, text),
  };
}

/** A fresh Ed25519 key pair for `name`, in both text forms. */
export function generateNoteKey(name: string): { readonly signerKey: string; readonly verifierKey: string } {
  if (!isValidKeyName(name)) throw malformed(`invalid key name ${JSON.stringify(name)}`);
  const { seed, publicKey } = generateEd25519();
  return { signerKey: formatSignerKey(name, seed), verifierKey: formatVerifierKey(name, publicKey) };
}

function decodeKeyParts(name: string, idText: string, keyText: string): VerifierKey {
  if (!isValidKeyName(name)) throw malformed('invalid key name in verifier key');
  if (!KEY_ID_HEX.test(idText)) throw malformed('the key ID of a verifier key is 8 lowercase hex digits');
  const data = decodeBase64(keyText);
  if (data === undefined || data.length < 2) throw malformed('the key of a verifier key must be base64 of a type byte and a key');
  const type = data[0]!;
  const publicKey = data.subarray(1);
  if (computeKeyId(name, type, publicKey) !== Number.parseInt(idText, 16)) throw malformed('verifier key ID does not match its key');
  return { name, keyId: Number.parseInt(idText, 16), type, publicKey };
}

function decodeSignerParts(name: string, idText: string, keyText: string): { seed: Uint8Array; publicKey: Uint8Array } {
  if (!isValidKeyName(name)) throw malformed('invalid key name in signer key');
  if (!KEY_ID_HEX.test(idText)) throw malformed('the key ID of a signer key is 8 lowercase hex digits');
  const data = decodeBase64(keyText);
  if (data === undefined || data.length !== 1 + ED25519_KEY_SIZE || data[0] !== SIGNATURE_TYPE_ED25519) {
    throw malformed('the key of a signer key must be base64 of 0x01 and a 32-byte Ed25519 seed');
  }
  const seed = data.subarray(1);
  const publicKey = publicKeyFromSeed(seed);
  // The ID is of the public key, so checking it proves the seed and the name belong together.
  if (computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey) !== Number.parseInt(idText, 16)) {
    throw malformed('signer key ID does not match its key');
  }
  return { seed, publicKey };
}

/** <name>+<key ID>+<key>: names hold no `+`, but base64 key material may. */
function splitKey(text: string): [name: string, idText: string, keyText: string] | undefined {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) return undefined;
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
