// The package page's usage facts (downloads, dependents) and the page of an unpublished name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { publishBody } from '@bulwark/testkit';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

describe('web package pages', () => {
  let reg: InProcessRegistry;
  let token: string;

  const publish = (name: string, version: string, dependencies: Record<string, string> = {}) =>
    reg.app.inject({ method: 'PUT', url: `/${name}`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(publishBody({ name, version, dependencies }).body) });

  before(async () => {
    reg = await inProcessRegistry();
    token = await reg.user('pat');
    assert.equal((await publish('wp-lib', '1.0.0')).statusCode, 201);
    assert.equal((await publish('wp-app', '1.0.0', { 'wp-lib': '^1.0.0' })).statusCode, 201);
    assert.equal((await publish('wp-gone', '1.0.0')).statusCode, 201);
  });
  after(() => reg.close());

  test('the package page shows last week\'s downloads and the dependents in this registry', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await reg.app.inject({ url: '/wp-lib/-/wp-lib-1.0.0.tgz' })).statusCode, 200);
    const html = (await reg.app.inject({ url: '/-/ui/package/wp-lib' })).body;
    assert.match(html, /<dd id="weekly-downloads">2 in the last 7 days<\/dd>/);
    assert.match(html, /<dd id="dependents">1 packages in this registry<\/dd>/);
  });

  test('GEN-2a: an unpublished package\'s page says so, with a 404', async () => {
    const doc = (await reg.app.inject({ url: '/wp-gone?write=true', headers: bearer(token) })).json();
    const del = await reg.app.inject({ method: 'DELETE', url: `/wp-gone/-rev/${doc._rev}`, headers: bearer(token) });
    assert.ok(del.statusCode < 300, del.body);
    const page = await reg.app.inject({ url: '/-/ui/package/wp-gone' });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /id="deleted">This package was unpublished by its owners on \d{4}-\d\d-\d\d\./);
  });
});
