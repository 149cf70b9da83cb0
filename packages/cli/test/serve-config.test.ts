import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url));

function bulwark(args: string[], env: Record<string, string> = {}, input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, input, timeout: 30_000 });
}

test('bulwark serve refuses invalid configuration with a message naming the setting', () => {
  const port = bulwark(['serve', '--port', 'eighty']);
  assert.equal(port.status, 2);
  assert.match(port.stderr, /--port: must be a whole number/);

  const env = bulwark(['serve'], { BULWARK_REGISTRATION: 'sometimes' });
  assert.equal(env.status, 2);
  assert.match(env.stderr, /\/registration/);

  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'bulwark.json');
  writeFileSync(file, JSON.stringify({ limits: { bodyBytes: 2048, tarballBytes: 4096 }, colour: 'blue' }));
  const bad = bulwark(['serve', '--config', file]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /tarballBytes|colour/);

  writeFileSync(file, '{ not json');
  const broken = bulwark(['serve', '--config', file]);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /is not valid JSON/);
});

test('bulwark admin user add and token create bootstrap an account; duplicates are refused', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'admin-'));
  const add = bulwark(['admin', 'user', 'add', 'carol', '--email', 'carol@example.com', '--password-stdin', '--data-dir', dataDir], {}, 'a-long-enough-password\n');
  assert.equal(add.status, 0, add.stderr);
  const again = bulwark(['admin', 'user', 'add', 'carol', '--email', 'carol@example.com', '--data-dir', dataDir]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /taken/);
  const short = bulwark(['admin', 'user', 'add', 'dave', '--email', 'dave@example.com', '--password-stdin', '--data-dir', dataDir], {}, 'short\n');
  assert.equal(short.status, 2);
  assert.match(short.stderr, /at least 10 characters/);

  const token = bulwark(['admin', 'token', 'create', 'carol', '--packages', 'a,b', '--read-only', '--expires', '30d', '--data-dir', dataDir]);
  assert.equal(token.status, 0, token.stderr);
  assert.match(token.stdout.trim(), /^bwk_[0-9A-Za-z]{38}$/);
  const nobody = bulwark(['admin', 'token', 'create', 'nobody', '--data-dir', dataDir]);
  assert.equal(nobody.status, 2);
  assert.match(nobody.stderr, /No user named "nobody"/);
  const badExpiry = bulwark(['admin', 'token', 'create', 'carol', '--expires', 'soon', '--data-dir', dataDir]);
  assert.notEqual(badExpiry.status, 0);
  assert.match(badExpiry.stderr, /not a duration/);
});
