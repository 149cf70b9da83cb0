import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startFaultProxy } from '../src/fault-proxy.js';

test('testkit: the fault proxy forwards, records, rewrites and injects faults', async () => {
  let origin = '';
  const upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, tarball: `${origin}/npm/x/-/x-1.0.0.tgz`, body: Buffer.concat(chunks).toString(), host: req.headers.host }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const proxy = await startFaultProxy({ target: `${origin}/npm/` });
  try {
    assert.equal(proxy.url, `${proxy.origin}/npm/`);
    const rule = proxy.addRule({ path: '/npm/x', times: 2, respond: { status: 500, body: { error: 'boom' } } });
    const corgi = proxy.addRule({ path: '/npm/y', accept: 'install-v1', respond: { status: 404 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${proxy.url}x`)).status);
    assert.deepEqual(statuses, [500, 500, 200]);
    assert.equal(rule.hits, 2);
    assert.equal((await fetch(`${proxy.url}y`, { headers: { accept: 'application/vnd.npm.install-v1+json' } })).status, 404);
    const full = await fetch(`${proxy.url}y`, { headers: { accept: 'application/json' } });
    assert.equal(full.status, 200);
    const body = await full.json() as { tarball: string; host: string };
    assert.equal(body.tarball, `${proxy.origin}/npm/x/-/x-1.0.0.tgz`, 'upstream origin rewritten to the proxy');
    assert.equal(body.host, new URL(proxy.origin).host, 'Host preserved');
    assert.equal(corgi.hits, 1);
    const put = await fetch(`${proxy.url}z`, { method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.equal(put.status, 200);
    const rec = proxy.find('PUT', '/npm/z')[0];
    assert.equal(rec?.body.toString(), '{"a":1}');
    assert.equal(rec?.status, 200);
    assert.equal(proxy.exchanges.length, 6);
  } finally {
    await proxy.close();
    upstream.close();
  }
});
