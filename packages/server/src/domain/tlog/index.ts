/**
 * GEN-3b: the verifiable transparency log's pure core: RFC 9162 Merkle trees and proofs,
 * C2SP checkpoints, signed notes, witness cosignatures and tiles. No I/O; stores and HTTP
 * supply hashes through `HashReader` and persist what `appendLeaf` returns.
 */
export { TlogError, type TlogErrorCode } from './tlog-error.js';
export { decodeBase64, encodeBase64 } from './base64.js';
export {
  HASH_SIZE, appendLeaf, appendLeaves, bytesEqual, consistencyProof, emptyTreeHash, hashChildren, hashLeaf,
  inclusionProof, rootFromLeafHashes, treeHash, verifyConsistency, verifyInclusion,
  type HashReader, type StoredHash,
} from './merkle.js';
export { hashReaderFrom, hashesNeeded } from './hash-prefetch.js';
export { formatCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.js';
export { openCheckpoint, signCheckpoint } from './signed-checkpoint.js';
export {
  SIGNATURE_TYPE_ED25519, computeKeyId, decodeSignerKey, decodeVerifierKey, ed25519Verifier, formatSignerKey,
  formatVerifierKey, generateNoteKey, isValidKeyName, parseSignerKey, parseVerifierKey,
  type Ed25519NoteSigner, type NoteSigner, type NoteVerifier, type VerifierKey,
} from './note-keys.js';
export {
  MAX_NOTE_SIGNATURES, formatNote, openNote, parseNote, signNote,
  type Note, type NoteSignature, type OpenedNote,
} from './signed-note.js';
export {
  SIGNATURE_TYPE_COSIGNATURE_V1, cosignatureTimestamp, cosignatureVerifier, cosigner, formatCosignatureVerifierKey,
  parseCosignatureVerifierKey,
} from './cosignature.js';
export {
  MAX_TILE_LEVEL, TILE_HEIGHT, TILE_WIDTH, decodeEntryBundle, decodeHashTile, encodeEntryBundle, encodeHashTile,
  formatEntriesPath, formatTilePath, locateHash, parseTilePath, readTileHashes, tileHashReader, tilesAddedBetween,
  tilesForSize, tilesNeeded, type Tile, type TilePath,
} from './tiles.js';
export { generateEd25519, type Ed25519KeyPair } from './ed25519.js';
export { signKeyRotation, verifyKeyRotation } from './key-rotation.js';
