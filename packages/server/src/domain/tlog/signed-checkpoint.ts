import { parseCheckpoint, formatCheckpoint, type Checkpoint } from './checkpoint.js';
import type { NoteSigner, NoteVerifier } from './note-keys.js';
import { openNote, signNote, type NoteSignature, type OpenedNote } from './signed-note.js';
import { TlogError } from './tlog-error.js';

/** A checkpoint as a signed note by the log's key (whose name should be the origin). */
export function signCheckpoint(checkpoint: Checkpoint, logSigner: NoteSigner, keep: readonly NoteSignature[] = []): string {
  return signNote(formatCheckpoint(checkpoint), [logSigner], keep);
}

/**
 * Opens a signed checkpoint. The log's own signature is required: a note verified only by a
 * witness says nothing about what the log committed to. Witness cosignatures that verify are in
 * `note.verified`; counting them against a quorum is the caller's policy. With `origin`, a
 * checkpoint of another log (a valid signature replayed across logs sharing a key) is refused.
 */
export function openCheckpoint(
  signed: string | Uint8Array,
  logVerifier: NoteVerifier,
  options: { readonly origin?: string; readonly witnesses?: readonly NoteVerifier[] } = {},
): { checkpoint: Checkpoint; note: OpenedNote } {
  const note = openNote(signed, [logVerifier, ...(options.witnesses ?? [])]);
  if (!note.verified.some((sig) => sig.name === logVerifier.name && sig.keyId === logVerifier.keyId)) {
    throw new TlogError('E_TLOG_UNVERIFIED', `checkpoint is not signed by the log key ${logVerifier.name}`);
  }
  const checkpoint = parseCheckpoint(note.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new TlogError('E_TLOG_UNVERIFIED', `checkpoint is of ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(options.origin)}`);
  }
  return { checkpoint, note };
}
