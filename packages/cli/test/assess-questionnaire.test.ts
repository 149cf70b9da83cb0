import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parseQuestionnaire } from '../src/assess/questionnaire.js';

const example = fileURLToPath(new URL('../../../../docs/assess-questionnaire.example.yaml', import.meta.url));

test('GEN-3a: the example questionnaire parses, answers keyed by item ID', () => {
  const answers = parseQuestionnaire(readFileSync(example, 'utf8'));
  assert.equal(answers['GEN-3a']?.answer, 'yes');
  assert.match(answers['GEN-3a']?.evidence ?? '', /report/);
  assert.equal(answers['CLI-3c']?.answer, 'n/a');
});

test('the questionnaire refuses unknown IDs and answers', () => {
  assert.throws(() => parseQuestionnaire('answers:\n  GEN-9z: yes\n'), /not a Principles item/);
  assert.throws(() => parseQuestionnaire('answers:\n  GEN-3a: maybe\n'), /yes, no, partly or n\/a/);
  assert.throws(() => parseQuestionnaire('- a list\n'), /"answers"/);
  assert.deepEqual(parseQuestionnaire('answers:\n  GEN-3a: true\n'), { 'GEN-3a': { answer: 'yes' } });
});
