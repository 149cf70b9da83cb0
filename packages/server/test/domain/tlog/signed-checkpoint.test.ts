import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cosigner, cosignatureVerifier } from '../../../src/domain/tlog/cosignature.js';
import { generateEd25519 } from '../../../src/domain/tlog/ed25519.js';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from '../../../src/domain/tlog/note-keys.js';
import { openCheckpoint, signCheckpoint } from '../../../src/domain/tlog/signed-checkpoint.js';
import { parseNote, signNote } from '../../../src/domain/tlog/signed-note.js';
import { TlogError, type TlogErrorCode } from '../../../src/domain/tlog/tlog-error.js';
import { seededRandom } from './seeded-random.js';

const fails = (code: TlogErrorCode) => (err: unknown) => err instanceof TlogError && err.code === code;
const ORIGIN = 'registry.example/tlog';

describe('signed checkpoints', () => {
  const random = seededRandom(0x5167);
  const log = generateNoteKey(ORIGIN);
  const logSigner = parseSignerKey(log.signerKey);
  const logVerifier = parseVerifierKey(log.verifierKey);
  const checkpoint = { origin: ORIGIN, size: 42, rootHash: random.bytes(32), extensions: [] };

  test('GEN-3b: a checkpoint signed by the log key opens to the same checkpoint', () => {
    const signed = signCheckpoint(checkpoint, logSigner);
    // 68 signature bytes (key ID and Ed25519 signature) are 92 base64 characters.
    assert.match(signed, /^registry\.example\/tlog\n42\n[A-Za-z0-9+/]{43}=\n\n— registry\.example\/tlog [A-Za-z0-9+/]{91}=\n$/);
    assert.deepEqual(openCheckpoint(signed, logVerifier, { origin: ORIGIN }).checkpoint, checkpoint);
  });

  test('GEN-3b: a checkpoint without the log signature fails, even when a witness signed it', () => {
    const witness = generateEd25519();
    const witnessVerifier = cosignatureVerifier('witness.example/w1', witness.publicKey);
    const onlyWitness = signNote(`${ORIGIN}\n42\n${Buffer.from(checkpoint.rootHash).toString('base64')}\n`, [cosigner('witness.example/w1', witness.seed, 1)]);
    assert.throws(() => openCheckpoint(onlyWitness, logVerifier, { witnesses: [witnessVerifier] }), fails('E_TLOG_UNVERIFIED'));
    const both = signCheckpoint(checkpoint, logSigner, parseNote(onlyWitness).signatures);
    assert.equal(openCheckpoint(both, logVerifier, { witnesses: [witnessVerifier] }).note.verified.length, 2);
  });

  test('GEN-3b: another log key, another origin or a changed size is refused', () => {
    const other = parseSignerKey(generateNoteKey(ORIGIN).signerKey);
    assert.throws(() => openCheckpoint(signCheckpoint(checkpoint, other), logVerifier), fails('E_TLOG_UNVERIFIED'));
    const elsewhere = signCheckpoint({ ...checkpoint, origin: 'other.example/tlog' }, logSigner);
    assert.equal(openCheckpoint(elsewhere, logVerifier).checkpoint.origin, 'other.example/tlog', 'origin unchecked unless asked');
    assert.throws(() => openCheckpoint(elsewhere, logVerifier, { origin: ORIGIN }), fails('E_TLOG_UNVERIFIED'));
    const rolledBack = signCheckpoint(checkpoint, logSigner).replace('\n42\n', '\n41\n');
    assert.throws(() => openCheckpoint(rolledBack, logVerifier), fails('E_TLOG_BAD_SIGNATURE'));
  });
});
