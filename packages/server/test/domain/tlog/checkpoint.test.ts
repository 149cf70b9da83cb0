import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCheckpoint, parseCheckpoint } from '../../../src/domain/tlog/checkpoint.js';
import { emptyTreeHash } from '../../../src/domain/tlog/merkle.js';
import { TlogError } from '../../../src/domain/tlog/tlog-error.js';
import { seededRandom, toHex } from './seeded-random.js';

// The example of c2sp.org/tlog-checkpoint.
const SPEC_EXAMPLE = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const isMalformed = (err: unknown) => err instanceof TlogError && err.code === 'E_TLOG_MALFORMED';

describe('checkpoint (C2SP tlog-checkpoint)', () => {
  test('GEN-3b: parses the C2SP example and formats it back byte for byte', () => {
    const checkpoint = parseCheckpoint(SPEC_EXAMPLE);
    assert.equal(checkpoint.origin, 'example.com/behind-the-sofa');
    assert.equal(checkpoint.size, 20852163);
    assert.equal(toHex(checkpoint.rootHash), '0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62');
    assert.deepEqual(checkpoint.extensions, []);
    assert.equal(formatCheckpoint(checkpoint), SPEC_EXAMPLE);
  });

  test('extension lines and the empty tree round-trip', () => {
    const withExtensions = `${SPEC_EXAMPLE}ext one\nanother: line\n`;
    assert.deepEqual(parseCheckpoint(withExtensions).extensions, ['ext one', 'another: line']);
    assert.equal(formatCheckpoint(parseCheckpoint(withExtensions)), withExtensions);
    const empty = { origin: 'registry.example/tlog', size: 0, rootHash: emptyTreeHash(), extensions: [] };
    assert.equal(formatCheckpoint(empty), 'registry.example/tlog\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
    assert.deepEqual(parseCheckpoint(formatCheckpoint(empty)), empty);
  });

  test('GEN-3b: random checkpoints round-trip', () => {
    const random = seededRandom(0xc4ec);
    for (let i = 0; i < 200; i++) {
      const checkpoint = {
        origin: `log${random.int(1000)}.example/é${random.int(10)}`,
        size: random.int(2) === 0 ? random.int(1000) : random.int(Number.MAX_SAFE_INTEGER),
        rootHash: random.bytes(32),
        extensions: Array.from({ length: random.int(3) }, (_, j) => `x${j} ${random.int(99)}`),
      };
      assert.deepEqual(parseCheckpoint(formatCheckpoint(checkpoint)), checkpoint);
    }
  });

  test('GEN-3b: malformed checkpoints are refused', () => {
    const [origin, size, root] = SPEC_EXAMPLE.split('\n') as [string, string, string];
    const bad: Record<string, string> = {
      'no final newline': SPEC_EXAMPLE.slice(0, -1),
      'two lines': `${origin}\n${size}\n`,
      'empty origin': `\n${size}\n${root}\n`,
      'control character in origin': `a\tb\n${size}\n${root}\n`,
      'leading zero': `${origin}\n0${size}\n${root}\n`,
      'plus sign': `${origin}\n+${size}\n${root}\n`,
      'negative size': `${origin}\n-1\n${root}\n`,
      'space in size': `${origin}\n ${size}\n${root}\n`,
      'size past 2^53': `${origin}\n9007199254740993\n${root}\n`,
      'hex root': `${origin}\n${size}\n${'ab'.repeat(32)}\n`,
      'short root': `${origin}\n${size}\n${root.slice(0, 40)}=\n`,
      'root without padding': `${origin}\n${size}\n${root.slice(0, -1)}\n`,
      'root with non-zero padding bits': `${origin}\n${size}\n${root.slice(0, -2)}J=\n`,
      'empty extension line': `${SPEC_EXAMPLE}\nfoo\n`,
      'trailing empty line': `${SPEC_EXAMPLE}\n`,
      'CRLF line ends': SPEC_EXAMPLE.replaceAll('\n', '\r\n'),
    };
    for (const [why, text] of Object.entries(bad)) assert.throws(() => parseCheckpoint(text), isMalformed, why);
  });

  test('formatting refuses what could not be parsed back', () => {
    const good = parseCheckpoint(SPEC_EXAMPLE);
    assert.throws(() => formatCheckpoint({ ...good, origin: 'a\nb' }), isMalformed);
    assert.throws(() => formatCheckpoint({ ...good, origin: '' }), isMalformed);
    assert.throws(() => formatCheckpoint({ ...good, size: -1 }), isMalformed);
    assert.throws(() => formatCheckpoint({ ...good, size: 1.5 }), isMalformed);
    assert.throws(() => formatCheckpoint({ ...good, rootHash: new Uint8Array(31) }), isMalformed);
    assert.throws(() => formatCheckpoint({ ...good, extensions: [''] }), isMalformed);
  });
});
