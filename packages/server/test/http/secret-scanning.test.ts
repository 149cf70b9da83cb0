// AUTHZ-3b: GitHub's secret scanning partner protocol against a key server on loopback that
// publishes real P-256 keys; reports are signed over the exact bytes sent.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

interface Signer { id: string; privateKey: KeyObject; pem: string; current: boolean }

function newSigner(id: string, current = true): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { id, privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), current };
}

describe('secret scanning reports (AUTHZ-3b)', () => {
  let reg: InProcessRegistry;
  let keyServer: Server;
  let published: Signer[] = [];
  let keyFetches = 0;

  const report = (signer: Signer, items: unknown, opts: { tamper?: boolean } = {}) => {
    const body = Buffer.from(JSON.stringify(items));
    const signature = sign('sha256', body, { key: signer.privateKey, dsaEncoding: 'der' }).toString('base64');
    const sent = opts.tamper ? Buffer.from(body.toString().replace('"source":"content"', '"source":"commit"')) : body;
    return reg.app.inject({
      method: 'POST', url: '/-/bulwark/v1/secret-scanning/github', payload: sent,
      headers: { 'content-type': 'application/json', 'github-public-key-identifier': signer.id, 'github-public-key-signature': signature },
    });
  };
  const live = async (token: string) => (await reg.app.inject({ url: '/-/whoami', headers: bearer(token) })).statusCode === 200;

  before(async () => {
    keyServer = createServer((_req, res) => {
      keyFetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ public_keys: published.map((k) => ({ key_identifier: k.id, key: k.pem, is_current: k.current })) }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const keysUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/meta/public_keys/secret_scanning`;
    reg = await inProcessRegistry({ secretScanning: { providers: [{ name: 'github', keysUrl }] } });
    published = [newSigner('key-1')];
  });
  after(async () => {
    await reg.close();
    keyServer.close();
  });

  test('AUTHZ-3b: a signed report of a live token revokes it at once and labels it a true positive', async () => {
    const token = await reg.user('leaky');
    assert.ok(await live(token));
    const res = await report(published[0]!, [{ token, type: 'bulwark_token', url: 'https://github.com/o/r/blob/abc/.npmrc', source: 'content' }]);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), [{ token_raw: token, token_type: 'bulwark_token', label: 'true_positive' }]);
    assert.equal(await live(token), false, 'the next request with it is refused');
    // The owner is mailed with where it was found, and the account's security log says so.
    const mail = (await reg.stores.auth.outbox.list(100)).find((m) => m.kind === 'token-leaked');
    assert.ok(mail, 'a token-leaked mail is queued');
    assert.equal(mail.to, 'leaky@example.com');
    assert.match(mail.text, /https:\/\/github\.com\/o\/r\/blob\/abc\/\.npmrc/);
    assert.ok(!mail.text.includes(token), 'the mail never carries the token');
    const leaky = (await reg.stores.metadata.findUserByName('leaky'))!;
    assert.ok((await reg.stores.auth.securityEvents.listForUser(leaky.id, 10)).some((e) => e.kind === 'token-leaked'));
  });

  test('AUTHZ-3b: unknown, checksum-invalid and already revoked tokens are false positives', async () => {
    const token = await reg.user('careful');
    const fake = `bwk_${'A'.repeat(38)}`;
    const res = await report(published[0]!, [
      { token: fake, type: 'bulwark_token', url: 'u', source: 'content' },
      { token: 'npm_notours', type: 'bulwark_token', url: 'u', source: 'content' },
    ]);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().map((v: { label: string }) => v.label), ['false_positive', 'false_positive']);
    assert.ok(await live(token), 'nothing else was touched');
  });

  test('AUTHZ-3b: a bad signature, a tampered body, an unknown or a retired key are refused, and nothing is revoked', async () => {
    const token = await reg.user('victim');
    const item = [{ token, type: 'bulwark_token', url: 'u', source: 'content' }];
    const stranger = newSigner('key-1'); // same id, different key: a forgery
    const forged = await report(stranger, item);
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.json().code, 'E_SIGNATURE_INVALID');
    assert.equal((await report(published[0]!, item, { tamper: true })).statusCode, 401);
    assert.equal((await report(newSigner('key-unknown'), item)).statusCode, 401);
    const retired = newSigner('key-old', false);
    published.push(retired);
    const old = await report(retired, item);
    assert.equal(old.statusCode, 401);
    assert.match(old.json().error, /no longer uses/);
    const missing = await reg.app.inject({ method: 'POST', url: '/-/bulwark/v1/secret-scanning/github', payload: JSON.stringify(item), headers: { 'content-type': 'application/json' } });
    assert.equal(missing.statusCode, 401);
    assert.ok(await live(token));
  });

  test('AUTHZ-3b: a key the provider starts using is fetched when first seen', async () => {
    const token = await reg.user('later');
    const rotated = newSigner('key-2');
    published.push(rotated);
    const before = keyFetches;
    const res = await report(rotated, [{ token, type: 'bulwark_token', url: 'u', source: 'content' }]);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json()[0].label, 'true_positive');
    assert.equal(keyFetches, before + 1, 'one refetch for the unknown key id');
  });

  test('AUTHZ-3b: reports with made-up key ids cannot make the registry fetch keys without limit', async () => {
    const before = keyFetches;
    for (let i = 0; i < 15; i++) assert.equal((await report(newSigner(`made-up-${i}`), [{ token: 'x', type: 't', url: 'u', source: 's' }])).statusCode, 401);
    assert.ok(keyFetches - before <= 10, `at most 10 forced fetches a minute, saw ${keyFetches - before}`);
  });
});
