import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createSocket } from 'node:dgram';
import { pino } from 'pino';
import { DnsDomainChecker } from '../../src/adapters/dns/dns-domain-checker.js';
import { loadConfig } from '../../src/config/load-config.js';
import { buildAuthServices } from '../../src/main.js';
import { EmailDomainChecks } from '../../src/services/email-domain-checks.js';
import { isRegistryError } from '../../src/domain/errors.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';
import { LoopbackDns, TEST_ZONE } from './loopback-dns.js';

const silent = pino({ level: 'silent' });

/** An RDAP server: "pending delete" for expiring.test, an active registration for alive.test. */
async function rdapServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(req.url?.replace(/^.*\/domain\//, '') ?? '');
    const status = name === 'expiring.test' ? ['pending delete'] : name === 'alive.test' ? ['active'] : null;
    if (!status) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/rdap+json' }).end(JSON.stringify({ objectClassName: 'domain', ldhName: name, status }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}/rdap/` };
}

/** A UDP port where nobody answers (bound, never replies): every query times out. */
async function deafResolver(): Promise<{ address: string; close(): void }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, close: () => socket.close() };
}

describe('abandoned email domains over real DNS on loopback (AUTHN-2a)', () => {
  let dns: LoopbackDns;
  let rdap: { server: Server; url: string };
  let fixture: AuthFixture;
  before(async () => {
    dns = await LoopbackDns.start(TEST_ZONE);
    rdap = await rdapServer();
    fixture = await authFixture();
  });
  after(async () => {
    await dns.close();
    rdap.server.close();
    await fixture.close();
  });

  const checker = (rdapUrl: string | null = null) => new DnsDomainChecker({ resolvers: [dns.address], timeoutMs: 500, tries: 1, rdapUrl });

  test('AUTHN-2a: NXDOMAIN and "no NS and no MX" are abandoned; NS or MX is active; SERVFAIL is unknown', async () => {
    const c = checker();
    assert.deepEqual(await c.check('gone.test'), { verdict: 'abandoned', reason: 'NXDOMAIN' });
    assert.deepEqual(await c.check('empty.test'), { verdict: 'abandoned', reason: 'no NS and no MX' });
    assert.deepEqual(await c.check('alive.test'), { verdict: 'active', reason: 'has NS' });
    assert.deepEqual(await c.check('mail-only.test'), { verdict: 'active', reason: 'has MX' });
    const broken = await c.check('broken.test');
    assert.equal(broken.verdict, 'unknown');
    assert.match(broken.reason, /SERVFAIL/);
    // The questions went to our server over the DNS protocol, not to the system's resolver.
    assert.ok(dns.queries.includes('NS gone.test'));
    assert.ok(dns.queries.includes('MX empty.test'));
  });

  test('AUTHN-2a: a resolver that never answers gives "unknown", never "abandoned"', async () => {
    const deaf = await deafResolver();
    try {
      const result = await new DnsDomainChecker({ resolvers: [deaf.address], timeoutMs: 200, tries: 1 }).check('gone.test');
      assert.equal(result.verdict, 'unknown');
      assert.match(result.reason, /ETIMEOUT|ECONNREFUSED/);
    } finally {
      deaf.close();
    }
  });

  test('AUTHN-2a: with RDAP configured, a registration pending delete is abandoned although DNS still answers', async () => {
    assert.deepEqual(await checker(rdap.url).check('expiring.test'), { verdict: 'abandoned', reason: 'RDAP status pending delete' });
    assert.equal((await checker(rdap.url).check('alive.test')).verdict, 'active');
    assert.equal((await checker().check('expiring.test')).verdict, 'active', 'DNS alone cannot see it');
  });

  test('AUTHN-2a: the job stores a verdict per registered domain with its time; an outage keeps the last verdict', async () => {
    const clock = new ManualClock();
    for (const [name, domain] of [['ann', 'gone.test'], ['bob', 'alive.test'], ['cyd', 'broken.test'], ['dee', 'empty.test'], ['eve', 'ALIVE.test']] as const) {
      await fixture.stores.metadata.insertUser({ name, email: `${name}@${domain}`, passwordHash: null, isAdmin: false });
    }
    const checks = new EmailDomainChecks({ checker: checker(), store: fixture.stores.recovery.emailDomains, clock });
    const summary = await checks.checkAll();
    // example.com comes from no user here; the fixture's other tests may add some, so count what we know.
    const byDomain = new Map((await checks.list()).map((r) => [r.domain, r]));
    assert.equal(byDomain.get('gone.test')?.verdict, 'abandoned');
    assert.equal(byDomain.get('empty.test')?.verdict, 'abandoned');
    assert.equal(byDomain.get('alive.test')?.verdict, 'active');
    assert.equal(byDomain.get('broken.test')?.verdict, 'unknown');
    assert.equal(byDomain.get('gone.test')?.checkedAt?.toISOString(), clock.now().toISOString());
    assert.equal(byDomain.get('broken.test')?.checkedAt, null, 'no definitive answer, no check time');
    assert.ok(summary.abandoned >= 2 && summary.active >= 1 && summary.unknown >= 1);

    // Later the resolver is down: verdicts stay as they were, only the attempt time moves.
    const deaf = await deafResolver();
    try {
      clock.advance(24 * 3_600_000);
      const down = new EmailDomainChecks({ checker: new DnsDomainChecker({ resolvers: [deaf.address], timeoutMs: 100, tries: 1 }), store: fixture.stores.recovery.emailDomains, clock });
      await down.checkDomain('gone.test');
      await down.checkDomain('alive.test');
      const gone = await fixture.stores.recovery.emailDomains.find('gone.test');
      assert.equal(gone?.verdict, 'abandoned');
      assert.equal(gone?.attemptedAt.toISOString(), clock.now().toISOString());
      assert.notEqual(gone?.checkedAt?.toISOString(), clock.now().toISOString());
      assert.equal((await fixture.stores.recovery.emailDomains.find('alive.test'))?.verdict, 'active');
    } finally {
      deaf.close();
    }
  });

  test('AUTHN-2a: recovery via an abandoned domain is refused, and the user is told to add another address', async () => {
    // The services as the registry wires them, with the operator's resolver from the config.
    const config = loadConfig({ env: { BULWARK_DOMAIN_CHECK_RESOLVERS: dns.address }, flags: { dataDir: fixture.dataDir } });
    assert.deepEqual(config.auth.domainCheck.resolvers, [dns.address]);
    const { domainChecks } = buildAuthServices(config, fixture.stores, silent);
    const refused = await domainChecks.canRecoverByEmail({ email: 'fay@gone.test' });
    assert.equal(refused.allowed, false);
    assert.ok(!refused.allowed && /gone\.test/.test(refused.reason) && /add another address/.test(refused.reason) && /recovery code/.test(refused.reason));
    await assert.rejects(domainChecks.assertCanRecoverByEmail({ email: 'fay@empty.test' }), (err: unknown) => isRegistryError(err) && err.code === 'E_EMAIL_RECOVERY_REFUSED');
    assert.deepEqual(await domainChecks.canRecoverByEmail({ email: 'gil@alive.test' }), { allowed: true });
    // A domain DNS cannot answer for is not refused: an outage never locks people out.
    assert.deepEqual(await domainChecks.canRecoverByEmail({ email: 'hal@broken.test' }), { allowed: true });
  });
});
