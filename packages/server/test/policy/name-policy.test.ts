import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { NameIndex, type ProtectedName } from '../../src/domain/name-index.js';
import { decideName, type NameFacts } from '../../src/policy/name-policy.js';

const CORPUS: ProtectedName[] = [
  { name: 'lodash', rank: 1, downloads: 640_000_000, dependents: 0, source: 'import' },
  { name: 'express', rank: 2, downloads: 410_000_000, dependents: 0, source: 'import' },
  { name: 'acme-logger', rank: 1, downloads: 0, dependents: 12, source: 'registry' },
];
const config = loadConfig({ env: {} }).names;
const index = new NameIndex(CORPUS, config);

function facts(name: string, overrides: Partial<NameFacts> = {}): NameFacts {
  return { name, matches: index.find(name), maintainedByPublisher: new Set(), allowListed: false, denyListed: false, actions: config.actions, ...overrides };
}

describe('GEN-1b: the name policy', () => {
  test('GEN-1b: expresss is blocked with the similar name, its rank and downloads as evidence', () => {
    const d = decideName(facts('expresss'));
    assert.equal(d.action, 'block');
    assert.equal(d.rule, 'repeated');
    assert.equal(d.similarTo?.name, 'express');
    assert.equal(d.similarTo?.rank, 2);
    assert.match(d.reason, /express \(#2 by downloads, 410,000,000 downloads\)/);
  });

  test('GEN-1b: a typo of a registry package cites its dependents', () => {
    const d = decideName(facts('acme-loger'));
    assert.equal(d.action, 'block');
    assert.match(d.reason, /acme-logger \(#1 in this registry, 12 dependent packages\)/);
  });

  test('GEN-1b: an owner of lodash may publish lodash-es (exemption), a stranger is held for review', () => {
    const stranger = decideName(facts('lodash-es'));
    assert.equal(stranger.action, 'review');
    assert.equal(stranger.rule, 'combosquat-affix');
    const owner = decideName(facts('lodash-es', { maintainedByPublisher: new Set(['lodash']) }));
    assert.equal(owner.action, 'allow');
    assert.deepEqual(owner.exempted, ['lodash']);
  });

  test('GEN-1b: the operator allow-list lets a similar name through, with the matches kept as evidence', () => {
    const d = decideName(facts('lodahs', { allowListed: true }));
    assert.equal(d.action, 'allow');
    assert.equal(d.rule, 'allow-list');
    assert.equal(d.matches[0]?.name, 'lodash');
  });

  test('GEN-1b: the deny-list blocks a name that is similar to nothing, even when allow-listed too', () => {
    const d = decideName(facts('totally-unique-name', { denyListed: true, allowListed: true }));
    assert.equal(d.action, 'block');
    assert.equal(d.rule, 'deny-list');
  });

  test('GEN-1b: the action per rule comes from config; allow turns a rule off', () => {
    const relaxed = { ...config.actions, repeated: 'allow' as const };
    assert.equal(decideName(facts('expresss', { actions: relaxed })).action, 'allow');
    const strict = { ...config.actions, 'combosquat-affix': 'block' as const };
    assert.equal(decideName(facts('lodash-utils', { actions: strict })).action, 'block');
  });

  test('the most severe action wins, ties go to the most popular similar name', () => {
    const d = decideName(facts('react_dom', { matches: [] }));
    assert.equal(d.action, 'allow');
    assert.equal(d.rule, 'none');
  });
});
