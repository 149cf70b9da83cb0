import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeKeyId, decodeSignerKey, formatSignerKey, formatVerifierKey, generateNoteKey, isValidKeyName, parseSignerKey,
  parseVerifierKey,
} from '../../../src/domain/tlog/note-keys.js';
import { MAX_NOTE_SIGNATURES, formatNote, openNote, parseNote, signNote } from '../../../src/domain/tlog/signed-note.js';
import { TlogError, type TlogErrorCode } from '../../../src/domain/tlog/tlog-error.js';
import { seededRandom } from './seeded-random.js';

// Test vectors of golang.org/x/mod/sumdb/note (note_test.go): two keys, a text, and the signatures
// that Go's implementation produces for it (Ed25519 is deterministic, so ours must match exactly).
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
// The example of c2sp.org/signed-note, "Verifier keys".
const C2SP_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const C2SP_NOTE = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const fails = (code: TlogErrorCode) => (err: unknown) => err instanceof TlogError && err.code === code;

describe('signed note (C2SP signed-note)', () => {
  test('GEN-3b: Go sumdb note keys parse, and signing reproduces Go\'s signature byte for byte', () => {
    const verifier = parseVerifierKey(PETER_VKEY);
    assert.equal(verifier.name, 'PeterNeumann');
    assert.equal(verifier.keyId, 0xc74f20a3);
    const signer = parseSignerKey(PETER_SKEY);
    assert.equal(signer.name, 'PeterNeumann');
    assert.equal(signer.keyId, 0xc74f20a3);
    assert.equal(signer.verifierKey, PETER_VKEY);
    assert.equal(signNote(TEXT, [signer]), `${TEXT}\n${PETER_SIG}`);
    const { seed } = decodeSignerKey(PETER_SKEY);
    assert.equal(formatSignerKey('PeterNeumann', seed), PETER_SKEY);
    assert.equal(formatVerifierKey('PeterNeumann', verifier.publicKey), PETER_VKEY);
  });

  test('GEN-3b: the C2SP example note verifies with its verifier key', () => {
    const opened = openNote(C2SP_NOTE, [parseVerifierKey(C2SP_VKEY)]);
    assert.equal(opened.text, 'This is an example message.\n');
    assert.equal(opened.verified.length, 1);
    assert.equal(computeKeyId('example.com/foo', 0x01, parseVerifierKey(C2SP_VKEY).publicKey), 0x530d903a);
  });

  test('GEN-3b: unknown signatures are ignored; at least one known signature must verify', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const one = openNote(note, [peter]);
    assert.equal(one.text, TEXT);
    assert.deepEqual(one.verified.map((s) => s.name), ['PeterNeumann']);
    assert.deepEqual(one.unverified.map((s) => [s.name, s.keyId]), [['EnochRoot', 0xaf0cfe78]]);
    const both = openNote(note, [peter, enoch]);
    assert.deepEqual(both.verified.map((s) => s.name), ['PeterNeumann', 'EnochRoot']);
    assert.deepEqual(both.unverified, []);
    assert.throws(() => openNote(note, []), fails('E_TLOG_UNVERIFIED'));
    assert.throws(() => openNote(`${TEXT}\n${ENOCH_SIG}`, [peter]), fails('E_TLOG_UNVERIFIED'));
    // Same name, other ID (or the reverse): not the known key, so ignored, not a failure.
    const renamed = PETER_SIG.replace('PeterNeumann', 'PeterNeuman');
    assert.throws(() => openNote(`${TEXT}\n${renamed}`, [peter]), fails('E_TLOG_UNVERIFIED'));
    assert.throws(() => openNote(new TextEncoder().encode(note), [peter, peter]), TypeError, 'ambiguous verifiers');
  });

  test('GEN-3b: a bad signature by a known key rejects the whole note', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const mangled = `${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    assert.throws(() => openNote(`${TEXT}\n${mangled}`, [peter]), fails('E_TLOG_BAD_SIGNATURE'));
    assert.throws(() => openNote(`${TEXT}\n${PETER_SIG}${mangled}`, [peter]), fails('E_TLOG_BAD_SIGNATURE'));
    assert.throws(() => openNote(`${TEXT.replace('problem', 'problems')}\n${PETER_SIG}`, [peter]), fails('E_TLOG_BAD_SIGNATURE'));
    // Duplicates collapse; a mangled unknown signature stays merely unverified.
    const enochMangled = `${ENOCH_SIG.slice(0, 60)}ABCD${ENOCH_SIG.slice(60)}`;
    const opened = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${enochMangled}`, [peter]);
    assert.equal(opened.verified.length, 1);
    assert.equal(opened.unverified.length, 2);
  });

  test('GEN-3b: a note signed by another key, or with a modified body, fails', () => {
    const log = generateNoteKey('registry.example/tlog');
    const impostor = generateNoteKey('registry.example/tlog');
    const verifier = parseVerifierKey(log.verifierKey);
    const body = 'registry.example/tlog\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n';
    const note = signNote(body, [parseSignerKey(log.signerKey)]);
    assert.equal(openNote(note, [verifier]).text, body);
    assert.throws(() => openNote(signNote(body, [parseSignerKey(impostor.signerKey)]), [verifier]), fails('E_TLOG_UNVERIFIED'));
    assert.throws(() => openNote(note.replace('\n3\n', '\n4\n'), [verifier]), fails('E_TLOG_BAD_SIGNATURE'));
    // An impostor signature wearing the log's name and key ID is checked, and fails.
    const forged = signNote(body, [{ ...parseSignerKey(impostor.signerKey), keyId: verifier.keyId }]);
    assert.throws(() => openNote(forged, [verifier]), fails('E_TLOG_BAD_SIGNATURE'));
  });

  test('malformed notes are refused (Go note_test.go cases and more)', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const bad: Record<string, string | Uint8Array> = {
      'no signatures': TEXT,
      'blank line, no signatures': `${TEXT}\n`,
      'no final newline': `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      'control character': `\u0001${TEXT}\n${PETER_SIG}`,
      'invalid UTF-8': Uint8Array.of(0xff, ...new TextEncoder().encode(`${TEXT}\n${PETER_SIG}`)),
      'space in key name': `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      'line after the signatures': `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      'hyphen instead of em dash': `${TEXT}\n${PETER_SIG.replace('—', '-')}`,
      'signature too short': `${TEXT}\n— PeterNeumann AAAA\n`,
      'signature not base64': `${TEXT}\n— PeterNeumann x08go!==\n`,
      'lone surrogate': `\ud800${TEXT}\n${PETER_SIG}`,
      'too many signatures': `${TEXT}\n${PETER_SIG.repeat(MAX_NOTE_SIGNATURES + 1)}`,
    };
    for (const [why, note] of Object.entries(bad)) {
      assert.throws(() => openNote(note, [peter]), fails('E_TLOG_MALFORMED'), why);
    }
    assert.equal(openNote(`${TEXT}\n${PETER_SIG.repeat(16)}`, [peter]).verified.length, 1, 'the spec requires accepting 16');
  });

  test('parse and format round-trip, with blank lines inside the text', () => {
    const random = seededRandom(0x0707e);
    for (let i = 0; i < 50; i++) {
      const text = `line ${random.int(100)}\n\nafter a blank line\n${'x'.repeat(random.int(5))}\n`;
      const signatures = Array.from({ length: 1 + random.int(4) }, (_, j) => ({
        name: `witness${j}.example/w`,
        keyId: random.int(2 ** 32),
        signature: random.bytes(1 + random.int(80)),
      }));
      const note = formatNote({ text, signatures });
      assert.deepEqual(parseNote(note), { text, signatures });
    }
    assert.throws(() => formatNote({ text: 'no newline', signatures: [] }), fails('E_TLOG_MALFORMED'));
    assert.throws(() => formatNote({ text: 'a\n', signatures: [] }), fails('E_TLOG_MALFORMED'));
  });

  test('signing again replaces the signer\'s old signature and keeps the others', () => {
    const signer = parseSignerKey(PETER_SKEY);
    const old = parseNote(`${TEXT}\n${ENOCH_SIG}`).signatures;
    const stale = { name: 'PeterNeumann', keyId: 0xc74f20a3, signature: Uint8Array.of(1, 2, 3) };
    assert.equal(signNote(TEXT, [signer], [stale, ...old]), `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`);
    assert.throws(() => signNote('abc', [signer]), fails('E_TLOG_MALFORMED'));
  });

  test('GEN-3b: every truncation or single-character change of a key is refused', () => {
    for (const [key, parse] of [[PETER_VKEY, parseVerifierKey], [PETER_SKEY, parseSignerKey]] as const) {
      for (let i = 0; i <= key.length; i++) {
        for (let j = i + 1; j <= key.length; j++) {
          if (i === 0 && j === key.length) continue;
          assert.throws(() => parse(key.slice(i, j)), fails('E_TLOG_MALFORMED'), key.slice(i, j));
        }
      }
      for (let i = 0; i < key.length; i++) {
        const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
        assert.throws(() => parse(changed), fails('E_TLOG_MALFORMED'), changed);
      }
    }
    // From Go's tests: a wrong-length key and an unknown algorithm, each with a matching key ID.
    assert.throws(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='), fails('E_TLOG_MALFORMED'));
    assert.throws(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'), fails('E_TLOG_MALFORMED'));
    assert.throws(() => parseVerifierKey('PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'), fails('E_TLOG_MALFORMED'));
  });

  test('generated keys round-trip and key names are checked', () => {
    const { signerKey, verifierKey } = generateNoteKey('registry.example/tlog');
    assert.match(signerKey, /^PRIVATE\+KEY\+registry\.example\/tlog\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    assert.match(verifierKey, /^registry\.example\/tlog\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    assert.equal(parseSignerKey(signerKey).verifierKey, verifierKey);
    assert.notEqual(generateNoteKey('registry.example/tlog').verifierKey, verifierKey);
    for (const name of ['', 'a+b', 'a b', 'a\u00a0b', 'a\u0085b', 'a\u3000b', 'a\tb', 'a\nb']) {
      assert.equal(isValidKeyName(name), false, JSON.stringify(name));
      assert.throws(() => generateNoteKey(name), fails('E_TLOG_MALFORMED'));
    }
    assert.equal(isValidKeyName('sum.golang.org'), true);
  });
});
