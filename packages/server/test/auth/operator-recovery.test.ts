import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { buildAuthServices } from '../../src/main.js';
import { isRegistryError } from '../../src/domain/errors.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';

let fixture: AuthFixture;
before(async () => {
  fixture = await authFixture();
});
after(() => fixture.close());

const invalid = (err: unknown) => isRegistryError(err) && err.code === 'E_RECOVERY_LINK_INVALID';

test('AUTHN-1b: a recovery link expires after auth.recoveryLinkHours, and a new recovery ends the earlier link', async () => {
  const clock = new ManualClock();
  const config = loadConfig({ env: {}, flags: { dataDir: fixture.dataDir } });
  const { operatorRecovery } = buildAuthServices(config, fixture.stores, pino({ level: 'silent' }), clock);
  await fixture.user('tess');
  const linkOf = async () => {
    const mail = (await fixture.stores.auth.outbox.list(50)).filter((m) => m.kind === 'recovery-started' && m.to === 'tess@example.com');
    const newest = mail.reduce((a, b) => (b.id > a.id ? b : a));
    return decodeURIComponent(/token=(\S+)/.exec(newest.text)![1]!);
  };

  await operatorRecovery.recover({ userName: 'tess', reason: 'ticket 1', operator: 'op' });
  const first = await linkOf();
  clock.advance(config.auth.recoveryLinkHours * 3_600_000 + 1000);
  await assert.rejects(operatorRecovery.consumeLink(first), invalid, 'expired');

  await operatorRecovery.recover({ userName: 'tess', reason: 'ticket 2', operator: 'op' });
  const second = await linkOf();
  assert.notEqual(second, first);
  await operatorRecovery.recover({ userName: 'tess', reason: 'ticket 3', operator: 'op' });
  const third = await linkOf();
  await assert.rejects(operatorRecovery.checkLink(second), invalid, 'the earlier link ended');
  assert.equal((await operatorRecovery.consumeLink(third)).name, 'tess');
  await assert.rejects(operatorRecovery.recover({ userName: 'nobody', reason: 'ticket 4', operator: 'op' }), (err: unknown) => isRegistryError(err) && err.code === 'E_USER_NOT_FOUND');
});
