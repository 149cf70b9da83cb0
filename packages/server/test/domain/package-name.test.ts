import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryError } from '../../src/domain/errors.js';
import { parsePackageName, printable, tarballPath } from '../../src/domain/package-name.js';

function invalidName(err: unknown): boolean {
  assert.ok(err instanceof RegistryError);
  assert.equal(err.code, 'E_INVALID_NAME');
  return true;
}

describe('parsePackageName', () => {
  test('accepts ordinary unscoped names', () => {
    for (const name of ['foo', 'foo-bar', 'foo.bar', 'foo_bar', 'a', '1', 'abc123', 'a'.repeat(214)]) {
      assert.deepEqual(parsePackageName(name), { name, scope: null, basename: name }, name);
    }
  });

  test('splits a scoped name into scope (without @) and basename', () => {
    assert.deepEqual(parsePackageName('@acme/widget'), { name: '@acme/widget', scope: 'acme', basename: 'widget' });
    assert.deepEqual(parsePackageName('@s/p'), { name: '@s/p', scope: 's', basename: 'p' });
    assert.deepEqual(parsePackageName('@my-org.io/pkg.js'), { name: '@my-org.io/pkg.js', scope: 'my-org.io', basename: 'pkg.js' });
  });

  const invalid: Record<string, string> = {
    'upper case': 'Foo',
    'upper-case scope': '@Acme/widget',
    'upper-case scoped basename': '@acme/Widget',
    'a space inside': 'foo bar',
    'a leading space': ' foo',
    'a trailing space': 'foo ',
    'empty': '',
    'over 214 characters': 'a'.repeat(215),
    'a scoped name over 214 characters': `@acme/${'a'.repeat(209)}`,
    'full-width letters': '\uff46\uff4f\uff4f',
    'an accented letter': 'caf\u00e9',
    'a Cyrillic look-alike': '\u0440ackage',
    'a zero-width space': 'foo\u200b',
    'a right-to-left override': 'foo\u202eexe.js',
    'a newline': 'foo\nbar',
    'a NUL byte': 'foo\u0000',
    'a leading period': '.foo',
    'a leading underscore': '_foo',
    'a scoped basename with a leading period': '@acme/.hidden',
    'a path separator': 'foo/bar',
    'a traversal': '../foo',
    'an encoded slash': 'foo%2fbar',
    'a scope without basename': '@acme/',
    'a basename without scope': '@/pkg',
    'two slashes': '@acme/widget/extra',
    'special characters': 'foo!',
    'a tilde': '~foo',
    'node_modules': 'node_modules',
    'favicon.ico': 'favicon.ico',
    'a core module name': 'http',
  };
  for (const [label, name] of Object.entries(invalid)) {
    test(`refuses ${label} with E_INVALID_NAME`, () => {
      assert.throws(() => parsePackageName(name), invalidName);
    });
  }

  test('the error message echoes the name without control or bidi characters, bounded in length', () => {
    for (const raw of ['evil\u202eexe', 'a\u0007b', 'x\u200by', 'line\nbreak', `Q${'q'.repeat(500)}`]) {
      try {
        parsePackageName(raw);
        assert.fail(`${JSON.stringify(raw)} was accepted`);
      } catch (err) {
        assert.ok(err instanceof RegistryError);
        assert.doesNotMatch(err.message, /[\u0000-\u001f\u007f\u200b\u202e]/);
        assert.ok(err.message.length < 400, `message of ${err.message.length} characters`);
      }
    }
  });
});

describe('printable', () => {
  test('replaces control, zero-width and bidi characters with "?"', () => {
    assert.equal(printable('a\u0000b\u001fc\u007fd\u200be\u202ef\u2066g'), 'a?b?c?d?e?f?g');
    assert.equal(printable('plain-name'), 'plain-name');
  });

  test('cuts text over 80 characters and marks the cut', () => {
    const out = printable('x'.repeat(200));
    assert.equal(out, `${'x'.repeat(80)}…`);
    assert.equal(printable('y'.repeat(80)), 'y'.repeat(80));
  });
});

describe('tarballPath', () => {
  test('uses the npmjs layout for unscoped packages', () => {
    assert.equal(tarballPath(parsePackageName('foo'), '1.0.0'), '/foo/-/foo-1.0.0.tgz');
    assert.equal(tarballPath(parsePackageName('foo.bar'), '2.0.0-beta.1+build.5'), '/foo.bar/-/foo.bar-2.0.0-beta.1+build.5.tgz');
  });

  test('uses the npmjs layout for scoped packages: the file name has no scope', () => {
    assert.equal(tarballPath(parsePackageName('@acme/widget'), '1.2.3'), '/@acme/widget/-/widget-1.2.3.tgz');
  });
});
