import { ED25519_KEY_SIZE, privateKeyFromSeed, publicKeyFromSeed, publicKeyObject, signEd25519, verifyEd25519 } from './ed25519.js';
import { computeKeyId, decodeVerifierKey, formatVerifierKey, isValidKeyName, type NoteSigner, type NoteVerifier } from './note-keys.js';
import type { NoteSignature } from './signed-note.js';
import { malformed } from './tlog-error.js';

/**
 * C2SP tlog-cosignature, Ed25519 type (0x04): a witness's note signature on a checkpoint,
 * stating that as of `timestamp` this is the largest consistent tree it has seen. The signature
 * bytes are timestamp (uint64, big-endian) || Ed25519 signature over
 *
 *     cosignature/v1\ntime <timestamp>\n<checkpoint note text>
 *
 * The ML-DSA-44 type (0x06) is not supported: node:crypto has no ML-DSA on Node 20.
 */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;
const TIMESTAMPED_SIZE = 8 + 64;

/** The verifier of a witness, from its name and 32-byte Ed25519 public key. */
export function cosignatureVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  if (!isValidKeyName(name)) throw malformed(`invalid key name ${JSON.stringify(name)}`);
  const keyObject = publicKeyObject(publicKey);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    verify(text, signature) {
      if (signature.length !== TIMESTAMPED_SIZE) return false;
      const timestamp = readTimestamp(signature);
      if (timestamp === undefined) return false;
      return verifyEd25519(keyObject, cosignedMessage(text, timestamp), signature.subarray(8));
    },
  };
}

/** A witness vkey: `<name>+<key ID>+base64(0x04 || public key)`. */
export function parseCosignatureVerifierKey(vkey: string): NoteVerifier {
  const key = decodeVerifierKey(vkey);
  if (key.type !== SIGNATURE_TYPE_COSIGNATURE_V1) throw malformed(`not an Ed25519 cosignature key (type 0x${key.type.toString(16)})`);
  if (key.publicKey.length !== ED25519_KEY_SIZE) throw malformed('an Ed25519 public key is 32 bytes');
  return cosignatureVerifier(key.name, key.publicKey);
}

export function formatCosignatureVerifierKey(name: string, publicKey: Uint8Array): string {
  return formatVerifierKey(name, publicKey, SIGNATURE_TYPE_COSIGNATURE_V1);
}

/** A cosigner signing at the fixed POSIX time `timestamp` (seconds): the caller owns the clock. */
export function cosigner(name: string, seed: Uint8Array, timestamp: number): NoteSigner {
  if (!isValidKeyName(name)) throw malformed(`invalid key name ${JSON.stringify(name)}`);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw malformed('a cosignature timestamp is a non-negative integer');
  const privateKey = privateKeyFromSeed(seed);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKeyFromSeed(seed)),
    sign(text) {
      const out = new Uint8Array(TIMESTAMPED_SIZE);
      new DataView(out.buffer).setBigUint64(0, BigInt(timestamp));
      out.set(signEd25519(privateKey, cosignedMessage(text, timestamp)), 8);
      return out;
    },
  };
}

/** The time a cosignature claims, or undefined if it is not one (check it verifies first). */
export function cosignatureTimestamp(signature: NoteSignature): number | undefined {
  return signature.signature.length === TIMESTAMPED_SIZE ? readTimestamp(signature.signature) : undefined;
}

function readTimestamp(signature: Uint8Array): number | undefined {
  const value = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
  // The spec caps it at 2^63 - 1; a number holds 2^53 - 1 seconds, far past any real clock.
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

function cosignedMessage(text: Uint8Array, timestamp: number): Uint8Array {
  const header = new TextEncoder().encode(`cosignature/v1\ntime ${timestamp}\n`);
  const message = new Uint8Array(header.length + text.length);
  message.set(header);
  message.set(text, header.length);
  return message;
}
