import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, openStores, totpServiceFor, isRegistryError } from '@bulwark/server';
import { totpCode } from '@bulwark/testkit';

const BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url));

test('AUTHN-1c: bulwark admin user add --totp enrols an authenticator and prints its otpauth URI; the code from it verifies once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'admin-totp-'));
  const add = spawnSync(process.execPath, [BIN, 'admin', 'user', 'add', 'dora', '--email', 'dora@example.com', '--totp', '--data-dir', dataDir], {
    encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000,
  });
  assert.equal(add.status, 0, add.stderr);
  const uri = add.stdout.trim();
  assert.match(uri, /^otpauth:\/\/totp\/Bulwark:dora\?.*secret=[A-Z2-7]+/);
  assert.equal(add.stderr.match(/^ {2}[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/gm)?.length, 10, 'ten recovery codes on stderr');
  assert.doesNotMatch(add.stderr, /secret=/, 'the secret goes to stdout only');
  assert.equal(statSync(join(dataDir, 'auth-kek.key')).mode & 0o777, 0o600);

  const config = loadConfig({ env: {}, flags: { dataDir } });
  const stores = await openStores(config);
  try {
    const totp = totpServiceFor(config, stores);
    const user = await stores.metadata.findUserByName('dora');
    assert.ok(user);
    assert.equal(await totp.isEnrolled(user.id), true);
    const code = totpCode(uri);
    await totp.verify(user.id, code);
    await assert.rejects(totp.verify(user.id, code), (err: unknown) => isRegistryError(err) && err.code === 'E_OTP_REPLAYED');
  } finally {
    await stores.metadata.close();
  }
});
