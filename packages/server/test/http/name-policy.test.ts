import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

describe('GEN-1b: the typosquat guard over HTTP', () => {
  let reg: InProcessRegistry;
  let alice: string;
  let bob: string;
  let carol: string;

  before(async () => {
    reg = await inProcessRegistry({ names: { refreshSeconds: 0, appeal: 'mailto:registry@example.org' } });
    alice = await reg.user('alice');
    bob = await reg.user('bob');
    carol = await reg.user('carol');
    await reg.stores.names.importProtectedNames([
      { name: 'express', downloads: 410_000_000 }, { name: 'lodash', downloads: 640_000_000 }, { name: 'react-dom', downloads: 580_000_000 },
      { name: '@openzeppelin/contracts', downloads: 2_000_000 },
    ], new Date());
  });
  after(() => reg.close());

  async function publish(token: string, name: string, dependencies: Record<string, string> = {}) {
    const { body } = publishBody({ name, version: '1.0.0', dependencies });
    return reg.app.inject({ method: 'PUT', url: `/${name.replace('/', '%2f')}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  }

  async function availability(name: string, token?: string) {
    const res = await reg.app.inject({ url: `/-/bulwark/v1/names/availability?name=${encodeURIComponent(name)}`, headers: token ? bearer(token) : {} });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  }

  test('GEN-1b: publishing expresss is refused with E_POLICY_TYPOSQUAT naming express and the appeal path', async () => {
    const res = await publish(alice, 'expresss');
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().code, 'E_POLICY_TYPOSQUAT');
    assert.match(res.json().error, /too similar to the existing package "express"/);
    assert.match(res.json().error, /mailto:registry@example\.org/);
    assert.match(res.json().error, /bulwark admin names allow expresss/);
    assert.equal((await reg.app.inject({ url: '/expresss' })).statusCode, 404);
  });

  test('GEN-1b: the availability endpoint gives the same decision with its evidence before publish', async () => {
    const answer = await availability('expresss');
    assert.equal(answer.available, false);
    assert.equal(answer.exists, false);
    assert.equal(answer.decision.action, 'block');
    assert.equal(answer.decision.rule, 'repeated');
    assert.equal(answer.decision.similarTo.name, 'express');
    assert.equal(answer.decision.similarTo.downloads, 410_000_000);
    const free = await availability('my-own-widget');
    assert.equal(free.available, true);
    assert.equal(free.decision.rule, 'none');
    const bad = await reg.app.inject({ url: '/-/bulwark/v1/names/availability?name=Bad%20Name' });
    assert.equal(bad.statusCode, 400);
  });

  test('GEN-1b: react_dom is refused as a normalized collision', async () => {
    const res = await publish(alice, 'react_dom');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'E_POLICY_TYPOSQUAT');
    assert.match(res.json().error, /"react-dom"/);
  });

  test('GEN-1b: a combosquat is held for review, recorded, and accepted once an operator allows the name', async () => {
    const held = await publish(bob, 'lodash-utils');
    assert.equal(held.statusCode, 403, held.body);
    assert.equal(held.json().code, 'E_NAME_HELD_FOR_REVIEW');
    assert.match(held.json().error, /"lodash"/);
    const holds = await reg.stores.names.listHolds();
    assert.deepEqual(holds.map((h) => [h.name, h.requestedBy, h.similarTo]), [['lodash-utils', 'bob', 'lodash']]);
    assert.equal((await availability('lodash-utils')).decision.action, 'review');
    await reg.stores.names.setNameList('lodash-utils', 'allow', 'reviewed: a real utility package', new Date());
    assert.equal((await availability('lodash-utils')).available, true);
    assert.equal((await publish(bob, 'lodash-utils')).statusCode, 201);
  });

  test('GEN-1b: a deny-listed name is refused with E_NAME_PROHIBITED', async () => {
    await reg.stores.names.setNameList('free-crypto-miner', 'deny', null, new Date());
    const res = await publish(alice, 'free-crypto-miner');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'E_NAME_PROHIBITED');
  });

  test('GEN-1b: registry packages with dependents are protected; their maintainer is exempt, a stranger is not', async () => {
    assert.equal((await publish(alice, 'acme-logger')).statusCode, 201);
    assert.equal((await publish(bob, 'acme-service', { 'acme-logger': '^1.0.0' })).statusCode, 201);
    const stranger = await publish(carol, 'acme-loger');
    assert.equal(stranger.statusCode, 403, stranger.body);
    assert.match(stranger.json().error, /acme-logger \(#1 in this registry, 1 dependent package\)/);
    const asAlice = await availability('acme-loger', alice);
    assert.equal(asAlice.available, true);
    assert.deepEqual(asAlice.decision.exempted, ['acme-logger']);
    assert.equal((await publish(alice, 'acme-loger')).statusCode, 201);
  });

  test('GEN-1b: new versions of an existing package are not re-checked; an existing name is reported as taken', async () => {
    const answer = await availability('acme-logger');
    assert.equal(answer.available, false);
    assert.equal(answer.exists, true);
    const { body } = publishBody({ name: 'acme-loger', version: '1.0.1' });
    const res = await reg.app.inject({ method: 'PUT', url: '/acme-loger', headers: { ...bearer(alice), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    assert.equal(res.statusCode, 201, res.body);
  });

  test('GEN-1b: @opezneppelin/contracts is refused as a scope squat; once an operator allows it, the claimed scope is not re-checked', async () => {
    const res = await publish(carol, '@opezneppelin/contracts');
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().code, 'E_POLICY_TYPOSQUAT');
    assert.match(res.json().error, /"@openzeppelin\/contracts"/);
    assert.match(res.json().error, /scope one typo away/);
    await reg.stores.names.setNameList('@opezneppelin/contracts', 'allow', null, new Date());
    assert.equal((await publish(carol, '@opezneppelin/contracts')).statusCode, 201);
    assert.equal((await availability('@opezneppelin/utils', carol)).available, true);
    assert.equal((await publish(carol, '@opezneppelin/utils')).statusCode, 201);
  });
});
