import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_TABLE } from '../../src/domain/error-table.js';

const DOC = fileURLToPath(new URL('../../../../../docs/errors.md', import.meta.url));

test('docs/errors.md documents every error code with its HTTP status', () => {
  const text = readFileSync(DOC, 'utf8');
  const rows = new Map<string, number>();
  for (const match of text.matchAll(/^\| `(E_[A-Z_]+)` \| (\d{3}) \|/gm)) rows.set(match[1]!, Number(match[2]));
  for (const [code, { status }] of Object.entries(ERROR_TABLE)) {
    assert.equal(rows.get(code), status, `${code} should be documented with status ${status}`);
  }
  assert.equal(rows.size, Object.keys(ERROR_TABLE).length, 'docs/errors.md lists codes that do not exist');
});
