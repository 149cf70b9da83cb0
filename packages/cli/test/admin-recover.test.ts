import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Accounts, buildAuthServices, createLogger, isRegistryError, loadConfig, openStores, systemClock } from '@bulwark/server';

const BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url));

function bulwark(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000, input });
  assert.equal(run.status, 0, run.stderr);
  return run;
}

test('AUTHN-1b: bulwark admin user recover closes every way in, mails a single-use link to the new address, tells the old one, and logs who and why', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'admin-recover-'));
  bulwark(['admin', 'user', 'add', 'rosa', '--email', 'rosa@old.example', '--password-stdin', '--totp', '--data-dir', dataDir], 'rosa-long-password-1\n');
  const token = bulwark(['admin', 'token', 'create', 'rosa', '--data-dir', dataDir]).stdout.trim();

  const config = loadConfig({ env: {}, flags: { dataDir } });
  let stores = await openStores(config);
  const before = await stores.metadata.findUserByName('rosa');
  assert.ok(before);
  await stores.auth.webauthn.insert({
    id: 'cred-1', userId: before.id, name: 'YubiKey', publicKey: 'pk', counter: 0, transports: ['usb'], aaguid: '00000000-0000-0000-0000-000000000000',
    discoverable: true, backupEligible: false, backedUp: false, userVerified: true, createdAt: new Date(), lastUsedAt: null,
  });
  await stores.metadata.close();

  const run = bulwark(['admin', 'user', 'recover', 'rosa', '--reason', 'ticket 42: identity confirmed by video call', '--operator', 'olga', '--new-email', 'rosa@new.example', '--data-dir', dataDir]);
  assert.match(run.stderr, /revoked 1 token\(s\)/);
  assert.match(run.stderr, /1 WebAuthn credential\(s\)/);
  assert.doesNotMatch(run.stdout + run.stderr, /token=/, 'the link is mailed, never printed');

  stores = await openStores(config);
  try {
    const accounts = new Accounts({ store: stores.metadata, clock: systemClock, registration: 'closed' });
    const user = await stores.metadata.findUserByName('rosa');
    assert.ok(user);
    assert.equal(user.email, 'rosa@new.example');
    assert.equal(user.passwordHash, null, 'the old password no longer signs in');
    await assert.rejects(accounts.checkPassword('rosa', 'rosa-long-password-1'), (err: unknown) => isRegistryError(err) && err.code === 'E_BAD_CREDENTIALS');
    await assert.rejects(accounts.authenticateToken(token), (err: unknown) => isRegistryError(err) && err.code === 'E_TOKEN_INVALID');
    assert.equal(await stores.auth.totp.find(user.id), null, 'TOTP removed');
    assert.equal(await stores.auth.totp.countUnusedRecoveryCodes(user.id), 0, 'recovery codes burned');
    assert.deepEqual(await stores.auth.webauthn.listForUser(user.id), []);

    // The audit record: the security log says who and why; the old address is told; the link goes to the new one.
    const events = await stores.auth.securityEvents.listForUser(user.id, 10);
    const started = events.find((e) => e.kind === 'recovery-started');
    assert.ok(started);
    assert.equal(started.detail.operator, 'olga');
    assert.equal(started.detail.reason, 'ticket 42: identity confirmed by video call');
    assert.equal(started.detail.newEmail, 'rosa@new.example');
    const mail = await stores.auth.outbox.list(20);
    const notice = mail.find((m) => m.kind === 'recovery-started' && m.to === 'rosa@old.example');
    assert.ok(notice);
    assert.equal(notice.to, 'rosa@old.example');
    assert.match(notice.text, /olga/);
    assert.match(notice.text, /ticket 42/);
    assert.match(notice.text, /rosa@new\.example/);
    assert.doesNotMatch(notice.text, /token=/, 'the old address does not get the link');
    const linkMail = mail.find((m) => m.kind === 'recovery-started' && m.to === 'rosa@new.example');
    assert.ok(linkMail);
    assert.equal(mail.length, 2, 'one notice to the old address, one link to the new one');
    assert.match(linkMail.text, /ticket 42/);
    const link = /https?:\/\/\S+\/-\/ui\/recover\?token=(\S+)/.exec(linkMail.text);
    assert.ok(link, linkMail.text);

    // The link works once.
    const { operatorRecovery } = buildAuthServices(config, stores, createLogger({ logLevel: 'silent' }));
    assert.equal((await operatorRecovery.checkLink(decodeURIComponent(link[1]!))).name, 'rosa', 'checking does not spend it');
    assert.equal((await operatorRecovery.consumeLink(decodeURIComponent(link[1]!))).name, 'rosa');
    await assert.rejects(operatorRecovery.checkLink(decodeURIComponent(link[1]!)), (err: unknown) => isRegistryError(err) && err.code === 'E_RECOVERY_LINK_INVALID');
    await assert.rejects(operatorRecovery.consumeLink(decodeURIComponent(link[1]!)), (err: unknown) => isRegistryError(err) && err.code === 'E_RECOVERY_LINK_INVALID');
    await assert.rejects(operatorRecovery.consumeLink('made-up'), (err: unknown) => isRegistryError(err) && err.code === 'E_RECOVERY_LINK_INVALID');
  } finally {
    await stores.metadata.close();
  }
});

test('AUTHN-1b: a recovery without a reason is refused and changes nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'admin-recover-'));
  bulwark(['admin', 'user', 'add', 'sam', '--email', 'sam@example.com', '--password-stdin', '--data-dir', dataDir], 'sam-long-password-1\n');
  const run = spawnSync(process.execPath, [BIN, 'admin', 'user', 'recover', 'sam', '--reason', ' ', '--data-dir', dataDir], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /reason/);
  const stores = await openStores(loadConfig({ env: {}, flags: { dataDir } }));
  try {
    assert.notEqual((await stores.metadata.findUserByName('sam'))?.passwordHash, null);
    assert.deepEqual(await stores.auth.outbox.list(10), []);
  } finally {
    await stores.metadata.close();
  }
});
