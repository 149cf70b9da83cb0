import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNamesTsv } from '../../src/services/name-guard.js';

test('GEN-1b: the operator TSV import reads name<TAB>downloads and skips headers, comments and junk', () => {
  const { rows, skipped } = parseNamesTsv('name\tdownloads\n# comment\nsemver\t2399072936\r\n\n@types/node\t10\nbad name\t5\nneg\t-1\nno-count\n');
  assert.deepEqual(rows, [{ name: 'semver', downloads: 2399072936 }, { name: '@types/node', downloads: 10 }, { name: 'no-count', downloads: 0 }]);
  assert.equal(skipped, 3);
});
