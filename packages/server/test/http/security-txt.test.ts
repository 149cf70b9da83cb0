import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inProcessRegistry } from './harness.js';

/** A small RFC 9116 reader: field lines "Name: value", comments with #, no unknown syntax. */
function parseSecurityTxt(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z-]+): (.+)$/.exec(line);
    assert.ok(match, `not an RFC 9116 field line: ${JSON.stringify(line)}`);
    const key = match[1]!.toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), match[2]!]);
  }
  return fields;
}

test('GEN-1a: /.well-known/security.txt has Contact, Expires (future, at most a year), Policy and Preferred-Languages', async () => {
  const reg = await inProcessRegistry({ security: { contact: ['mailto:security@registry.example', 'https://registry.example/report'], preferredLanguages: ['en', 'de'] } });
  try {
    const res = await reg.app.inject({ url: '/.well-known/security.txt', headers: { host: 'registry.example' } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; charset=utf-8/);
    const fields = parseSecurityTxt(res.body);
    assert.deepEqual(fields.get('contact'), ['mailto:security@registry.example', 'https://registry.example/report']);
    const expires = fields.get('expires');
    assert.equal(expires?.length, 1, 'exactly one Expires');
    const when = Date.parse(expires![0]!);
    assert.ok(when > Date.now() && when <= Date.now() + 366 * 24 * 3600 * 1000, `Expires ${expires![0]} is not within a year`);
    assert.deepEqual(fields.get('policy'), ['http://registry.example/-/security/policy']);
    assert.deepEqual(fields.get('preferred-languages'), ['en, de']);
    assert.deepEqual(fields.get('canonical'), ['http://registry.example/.well-known/security.txt']);

    const policy = await reg.app.inject({ url: '/-/security/policy' });
    assert.equal(policy.statusCode, 200);
    assert.match(policy.body, /safe harbo(u)?r/i);
    assert.match(policy.body, /90 days/);
  } finally {
    await reg.close();
  }
});

test('GEN-1a: an operator policy file and policy URL replace the defaults; mounted under a path it is served at the root too', async () => {
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'policy-'));
  const file = join(dir, 'policy.md');
  await writeFile(file, '# ACME disclosure policy\nReport to psirt@acme.example.\n');
  const reg = await inProcessRegistry({ basePath: '/npm', security: { policyFile: file, policyUrl: 'https://acme.example/security', expires: '2030-01-01T00:00:00Z' } });
  try {
    const root = parseSecurityTxt((await reg.app.inject({ url: '/.well-known/security.txt', headers: { host: 'acme.example' } })).body);
    assert.deepEqual(root.get('policy'), ['https://acme.example/security']);
    assert.deepEqual(root.get('expires'), ['2030-01-01T00:00:00Z']);
    assert.deepEqual(root.get('canonical'), ['http://acme.example/.well-known/security.txt']);
    const mounted = await reg.app.inject({ url: '/npm/-/security/policy' });
    assert.match(mounted.body, /ACME disclosure policy/);
    assert.equal((await reg.app.inject({ url: '/-/security/policy' })).statusCode, 404);
  } finally {
    await reg.close();
  }
});
