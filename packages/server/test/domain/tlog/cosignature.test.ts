import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCheckpoint } from '../../../src/domain/tlog/checkpoint.js';
import {
  cosignatureTimestamp, cosigner, formatCosignatureVerifierKey, parseCosignatureVerifierKey,
} from '../../../src/domain/tlog/cosignature.js';
import { generateEd25519 } from '../../../src/domain/tlog/ed25519.js';
import { parseSignerKey, parseVerifierKey, formatSignerKey, formatVerifierKey } from '../../../src/domain/tlog/note-keys.js';
import { openNote, parseNote, signNote } from '../../../src/domain/tlog/signed-note.js';
import { TlogError, type TlogErrorCode } from '../../../src/domain/tlog/tlog-error.js';
import { seededRandom } from './seeded-random.js';

// The example of c2sp.org/tlog-cosignature: a checkpoint with the log's signature and a witness's
// cosignature whose timestamp is the spec's "time 1679315147".
const SPEC_EXAMPLE = `example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==
`;
// From github.com/transparency-dev/formats note/note_cosigv1_test.go: a native 0x04 witness vkey, and
// a cosignature whose timestamp is 1727964367.
const WITNESS_VKEY = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';
const COSIG_1727964367 = 'ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==';

const fails = (code: TlogErrorCode) => (err: unknown) => err instanceof TlogError && err.code === code;

describe('witness cosignatures (C2SP tlog-cosignature, Ed25519)', () => {
  test('GEN-3b: cosignature timestamps of the spec and transparency-dev vectors', () => {
    const [log, witness] = parseNote(SPEC_EXAMPLE).signatures;
    assert.equal(cosignatureTimestamp(witness!), 1679315147);
    assert.equal(cosignatureTimestamp(log!), undefined, 'a plain Ed25519 signature has no timestamp');
    const [other] = parseNote(`a\n\n— w ${COSIG_1727964367}\n`).signatures;
    assert.equal(cosignatureTimestamp(other!), 1727964367);
  });

  test('witness verifier keys carry type 0x04 and are not note verifier keys', () => {
    const verifier = parseCosignatureVerifierKey(WITNESS_VKEY);
    assert.equal(verifier.name, 'remora.n621.de');
    assert.equal(verifier.keyId, 0xda77ade7);
    assert.throws(() => parseVerifierKey(WITNESS_VKEY), fails('E_TLOG_MALFORMED'));
    assert.throws(() => parseCosignatureVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'), fails('E_TLOG_MALFORMED'));
  });

  test('GEN-3b: a log-signed checkpoint gains a witness cosignature that verifies alongside', () => {
    const random = seededRandom(0xc051);
    const log = generateEd25519();
    const witness = generateEd25519();
    const logSigner = parseSignerKey(formatSignerKey('registry.example/tlog', log.seed));
    const logVerifier = parseVerifierKey(formatVerifierKey('registry.example/tlog', log.publicKey));
    const witnessVerifier = parseCosignatureVerifierKey(formatCosignatureVerifierKey('witness.example/w1', witness.publicKey));
    const body = formatCheckpoint({ origin: 'registry.example/tlog', size: 1234, rootHash: random.bytes(32), extensions: ['ext'] });
    const signed = signNote(body, [logSigner]);
    const cosigned = signNote(body, [cosigner('witness.example/w1', witness.seed, 1700000000)], parseNote(signed).signatures);

    const opened = openNote(cosigned, [logVerifier, witnessVerifier]);
    assert.deepEqual(opened.verified.map((s) => s.name), ['witness.example/w1', 'registry.example/tlog']);
    assert.equal(cosignatureTimestamp(opened.verified[0]!), 1700000000);
    assert.deepEqual(openNote(cosigned, [logVerifier]).unverified.map((s) => s.name), ['witness.example/w1']);

    // The same Ed25519 key as a plain note key has another key ID: its verifier ignores the cosignature.
    const plain = parseVerifierKey(formatVerifierKey('witness.example/w1', witness.publicKey));
    assert.throws(() => openNote(cosigned, [plain]), fails('E_TLOG_UNVERIFIED'));
    // A changed timestamp, body or extension line breaks the cosignature.
    const cosig = parseNote(cosigned).signatures[0]!;
    const retimed = { ...cosig, signature: Uint8Array.from(cosig.signature, (b, i) => (i === 7 ? b ^ 1 : b)) };
    assert.throws(() => openNote(signNote(body, [logSigner], [retimed]), [witnessVerifier]), fails('E_TLOG_BAD_SIGNATURE'));
    assert.throws(() => openNote(cosigned.replace('\next\n', '\nexu\n'), [witnessVerifier]), fails('E_TLOG_BAD_SIGNATURE'));
    const truncated = { ...cosig, signature: cosig.signature.subarray(0, 70) };
    assert.throws(() => openNote(signNote(body, [logSigner], [truncated]), [witnessVerifier]), fails('E_TLOG_BAD_SIGNATURE'));
  });

  test('cosigner refuses bad names and timestamps', () => {
    const { seed } = generateEd25519();
    assert.throws(() => cosigner('a b', seed, 1), fails('E_TLOG_MALFORMED'));
    assert.throws(() => cosigner('w', seed, -1), fails('E_TLOG_MALFORMED'));
    assert.throws(() => cosigner('w', seed, 1.5), fails('E_TLOG_MALFORMED'));
  });
});
