import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { NameIndex, type NameRule, type ProtectedName } from '../../src/domain/name-index.js';
import { collisionKey, permutationKey, tokenize } from '../../src/domain/name-normalize.js';
import { boundedDistance, classifySingleEdit } from '../../src/domain/typo-kinds.js';

/** Real npm names with their downloads from shared/fixtures/names/npm-names-by-downloads.tsv, plus a real scoped package. */
const REAL: Array<[string, number]> = [
  ['react', 905_000_000], ['lodash', 640_000_000], ['react-dom', 580_000_000], ['express', 410_000_000], ['eslint', 390_000_000],
  ['cross-env', 120_000_000], ['moment', 110_000_000], ['@babel/core', 100_000_000], ['stylelint', 31_586_091], ['@openzeppelin/contracts', 2_000_000],
  ['ms', 700_000_000], ['chalk', 600_000_000],
];
const CORPUS: ProtectedName[] = REAL.map(([name, downloads], i) => ({ name, rank: i + 1, downloads, dependents: 0, source: 'import' }));
const defaults = loadConfig({ env: {} }).names;
const index = new NameIndex(CORPUS, defaults);

function rulesFor(idx: NameIndex, candidate: string, similar: string): NameRule[] {
  return idx.find(candidate).filter((m) => m.similar.name === similar).map((m) => m.rule);
}

describe('name normal forms', () => {
  test('GEN-1b: the collision key folds case, ".", "-", "_", l/i to 1 and o to 0, per scope', () => {
    assert.equal(collisionKey('react_dom'), collisionKey('react-dom'));
    assert.equal(collisionKey('React.Dom'), collisionKey('reactdom'));
    assert.equal(collisionKey('cross-env'), collisionKey('crossenv'));
    assert.equal(collisionKey('l0dash'), collisionKey('lodash'));
    assert.equal(collisionKey('@babe1/core'), collisionKey('@babel/core'));
    assert.notEqual(collisionKey('@babel/core'), collisionKey('babel-core'));
    assert.notEqual(collisionKey('lodash'), collisionKey('lodash-es'));
  });

  test('tokenize and the permutation key ignore separators and order', () => {
    assert.deepEqual(tokenize('lodash.merge_deep-x'), ['lodash', 'merge', 'deep', 'x']);
    assert.equal(permutationKey('dom-react'), permutationKey('react-dom'));
  });

  test('bounded distance counts a transposition as one edit and stops past the bound', () => {
    assert.equal(boundedDistance('lodahs', 'lodash', 2), 1);
    assert.equal(boundedDistance('expresss', 'express', 2), 1);
    assert.equal(boundedDistance('abcdef', 'uvwxyz', 2), 3);
    assert.equal(classifySingleEdit('lodahs', 'lodash'), 'swapped');
    assert.equal(classifySingleEdit('expresss', 'express'), 'repeated');
    assert.equal(classifySingleEdit('expres', 'express'), 'omitted');
    assert.equal(classifySingleEdit('exprwss', 'express'), 'keyboard');
  });
});

describe('GEN-1b: the name index finds each kind of squat', () => {
  test('GEN-1b: expresss (repeated character) imitates express', () => {
    assert.deepEqual(rulesFor(index, 'expresss', 'express'), ['repeated']);
  });

  test('GEN-1b: lodahs (swapped characters) imitates lodash', () => {
    assert.deepEqual(rulesFor(index, 'lodahs', 'lodash'), ['swapped']);
  });

  test('GEN-1b: crossenv collides with cross-env (and omits its "-")', () => {
    assert.ok(rulesFor(index, 'crossenv', 'cross-env').includes('collision'));
  });

  test('GEN-1b: react_dom is a normalized collision with react-dom', () => {
    assert.ok(rulesFor(index, 'react_dom', 'react-dom').includes('collision'));
    assert.ok(rulesFor(index, 'REACT.DOM'.toLowerCase(), 'react-dom').includes('collision'));
  });

  test('GEN-1b: reactt-dom (repeated character) imitates react-dom', () => {
    assert.deepEqual(rulesFor(index, 'reactt-dom', 'react-dom'), ['repeated']);
  });

  test('GEN-1b: expres (omitted), exprwss (keyboard neighbour), rnoment (looks like moment)', () => {
    assert.deepEqual(rulesFor(index, 'expres', 'express'), ['omitted']);
    assert.deepEqual(rulesFor(index, 'exprwss', 'express'), ['keyboard']);
    assert.deepEqual(rulesFor(index, 'rnoment', 'moment'), ['confusable']);
  });

  test('GEN-1b: dom-react is a token permutation of react-dom', () => {
    assert.ok(rulesFor(index, 'dom-react', 'react-dom').includes('permutation'));
  });

  test('GEN-1b: lodash-utils, node-lodash and lodash-js are affix combosquats of lodash', () => {
    for (const squat of ['lodash-utils', 'node-lodash', 'lodash-js', 'chalk-lib']) {
      const similar = squat.includes('chalk') ? 'chalk' : 'lodash';
      assert.deepEqual(rulesFor(index, squat, similar), ['combosquat-affix'], squat);
    }
  });

  test('GEN-1b: bigops-stylelint (an unknown word around a top name) is a combosquat when combosquatTop covers it', () => {
    const wide = new NameIndex(CORPUS, { ...defaults, combosquatTop: 1000 });
    assert.deepEqual(rulesFor(wide, 'bigops-stylelint', 'stylelint'), ['combosquat']);
    assert.deepEqual(rulesFor(wide, 'bigops-eslint', 'eslint'), ['combosquat']);
    const affixOnly = new NameIndex(CORPUS, { ...defaults, combosquatTop: 0 });
    assert.deepEqual(rulesFor(affixOnly, 'bigops-stylelint', 'stylelint'), []);
  });

  test('GEN-1b: @opezneppelin/contracts is a scope squat of @openzeppelin/contracts', () => {
    assert.deepEqual(rulesFor(index, '@opezneppelin/contracts', '@openzeppelin/contracts'), ['scope']);
    assert.deepEqual(rulesFor(index, '@openzepelin/other', '@openzeppelin/contracts'), ['scope']);
    // Inside a protected scope only its owner publishes: no imitation to find.
    assert.deepEqual(index.find('@openzeppelin/contracts-upgradeable'), []);
  });

  test('GEN-1b: short names get only the exact-confusable rules', () => {
    // "mss" is one edit from "ms" but ms is shorter than minLengthTypo: no typo rule.
    assert.deepEqual(rulesFor(index, 'mss', 'ms'), []);
    assert.deepEqual(rulesFor(index, 'm.s', 'ms'), ['collision']);
    assert.deepEqual(rulesFor(index, 'rns', 'ms'), ['confusable']);
  });

  test('GEN-1b: an imported name itself is protected (impersonation), an unrelated name is not', () => {
    assert.deepEqual(rulesFor(index, 'lodash', 'lodash'), ['collision']);
    assert.deepEqual(index.find('my-own-widget'), []);
    assert.deepEqual(index.find('left-pad'), []);
  });

  test('edit distance 2 counts only from minLengthDistance2', () => {
    const strict = new NameIndex(CORPUS, { ...defaults, minLengthDistance2: 8 });
    assert.deepEqual(rulesFor(strict, 'stylellnt', 'stylelint').length > 0, true);
    assert.deepEqual(rulesFor(strict, 'styleeliint', 'stylelint'), ['edit-distance']);
    const loose = new NameIndex(CORPUS, { ...defaults, minLengthDistance2: 0 });
    assert.deepEqual(rulesFor(loose, 'styleeliint', 'stylelint'), []);
  });

  test('the index reports its size and build time', () => {
    assert.equal(index.stats.names, CORPUS.length);
    assert.ok(index.stats.deleteVariants > CORPUS.length);
    assert.ok(index.stats.indexBytes > 0);
  });
});
