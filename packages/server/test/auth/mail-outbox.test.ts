import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SmtpSink } from '@bulwark/testkit';
import { SmtpTransport } from '../../src/adapters/mail/smtp-transport.js';
import { FileTransport } from '../../src/adapters/mail/file-transport.js';
import { MailOutbox } from '../../src/services/mail-outbox.js';
import { securityMail, type SecurityMailKind } from '../../src/services/security-mail.js';
import { SecurityNotices } from '../../src/services/security-notices.js';
import { SecurityEvents } from '../../src/services/security-events.js';
import type { MailTransport } from '../../src/domain/mail.js';
import { authFixture, ManualClock, type AuthFixture } from './auth-fixture.js';

const FROM = 'Bulwark <registry@example.org>';

describe('mail outbox (AUTHN-1d)', () => {
  let sink: SmtpSink;
  let fixture: AuthFixture;

  before(async () => {
    sink = await SmtpSink.start();
    fixture = await authFixture();
  });
  after(async () => {
    await sink.close();
    await fixture.close();
  });

  test('AUTHN-1d: the SMTP adapter delivers a queued message to a real SMTP server', async () => {
    const clock = new ManualClock(Date.now());
    const outbox = new MailOutbox({ store: fixture.stores.auth.outbox, transport: new SmtpTransport(sink.url), clock, from: FROM });
    const id = await outbox.enqueue('test', { to: 'Alice@Example.org', subject: 'hello over smtp', text: 'first line\nsecond line\n' });
    const pass = await outbox.deliverDue();
    assert.equal(pass.sent, 1);
    const mail = await sink.waitForMail('alice@example.org', 'hello over smtp');
    assert.equal(mail.from, 'registry@example.org');
    assert.match(mail.text, /first line\nsecond line/);
    assert.ok((await fixture.stores.auth.outbox.find(id))?.sentAt, 'the row is marked sent');
    assert.equal((await outbox.deliverDue()).sent, 0, 'a sent message is not sent again');
    await outbox.stop();
  });

  test('AUTHN-1d: mail queued before a restart is delivered after it, and nothing is sent twice', async () => {
    const clock = new ManualClock(Date.now());
    const down: MailTransport = { send: async () => { throw new Error('connection refused'); } };
    const before = new MailOutbox({ store: fixture.stores.auth.outbox, transport: down, clock, from: FROM });
    // Claimed by a worker that crashed mid-send: its lease runs out, then it is sent.
    await before.enqueue('test', { to: 'bob@example.org', subject: 'claimed then crashed', text: 'y\n' });
    const stolen = await fixture.stores.auth.outbox.claimDue(clock.now(), new Date(clock.now().getTime() + 60_000), 1);
    assert.deepEqual(stolen.map((m) => m.subject), ['claimed then crashed']);
    // Queued while the process is about to die: never attempted.
    await before.enqueue('test', { to: 'bob@example.org', subject: 'pending across restart', text: 'x\n' });
    await before.stop();

    const stores = await fixture.reopen();
    const afterRestart = new MailOutbox({ store: stores.auth.outbox, transport: new SmtpTransport(sink.url), clock, from: FROM, leaseMs: 60_000 });
    await afterRestart.deliverDue();
    await sink.waitFor((m) => m.subject === 'pending across restart');
    assert.equal(sink.messages.filter((m) => m.subject === 'claimed then crashed').length, 0, 'a leased message waits for its lease');
    clock.advance(60_001);
    await afterRestart.deliverDue();
    await sink.waitFor((m) => m.subject === 'claimed then crashed');
    await afterRestart.deliverDue();
    assert.equal(sink.messages.filter((m) => m.subject === 'pending across restart').length, 1);
    assert.equal(sink.messages.filter((m) => m.subject === 'claimed then crashed').length, 1);
    await afterRestart.stop();
  });

  test('AUTHN-1d: a refused delivery is retried with growing back-off until the server takes it', async () => {
    const clock = new ManualClock(Date.now());
    const outbox = new MailOutbox({ store: fixture.stores.auth.outbox, transport: new SmtpTransport(sink.url), clock, from: FROM, retryBaseMs: 1000, retryMaxMs: 60_000 });
    sink.failNext = 2;
    const id = await outbox.enqueue('test', { to: 'carol@example.org', subject: 'retried', text: 'z\n' });
    assert.deepEqual(await outbox.deliverDue(), { sent: 0, retried: 1, gaveUp: 0 });
    let row = await fixture.stores.auth.outbox.find(id);
    assert.equal(row?.attempts, 1);
    assert.match(row?.lastError ?? '', /451|temporary/);
    assert.equal(row?.nextAttemptAt.getTime(), clock.now().getTime() + 1000);
    assert.equal((await outbox.deliverDue()).retried, 0, 'not retried before its time');
    clock.advance(1000);
    assert.equal((await outbox.deliverDue()).retried, 1);
    row = await fixture.stores.auth.outbox.find(id);
    assert.equal(row?.nextAttemptAt.getTime(), clock.now().getTime() + 2000, 'the delay doubles');
    clock.advance(2000);
    assert.equal((await outbox.deliverDue()).sent, 1);
    await sink.waitForMail('carol@example.org', 'retried');
    await outbox.stop();
  });

  test('AUTHN-1d: after the last attempt a message is given up and logged, not retried forever', async () => {
    const clock = new ManualClock(Date.now());
    const errors: object[] = [];
    const down: MailTransport = { send: async () => { throw new Error('mailbox unavailable'); } };
    const outbox = new MailOutbox({
      store: fixture.stores.auth.outbox, transport: down, clock, from: FROM, maxAttempts: 2, retryBaseMs: 10,
      log: { warn: () => {}, error: (obj) => errors.push(obj) },
    });
    const id = await outbox.enqueue('test', { to: 'dave@example.org', subject: 'doomed', text: 'd\n' });
    await outbox.deliverDue();
    clock.advance(10);
    assert.equal((await outbox.deliverDue()).gaveUp, 1);
    assert.ok((await fixture.stores.auth.outbox.find(id))?.failedAt);
    assert.equal(errors.length, 1);
    clock.advance(1_000_000);
    await outbox.deliverDue();
    assert.equal((await fixture.stores.auth.outbox.find(id))?.attempts, 2, 'a given-up message is not tried again');
  });

  test('AUTHN-1d: the worker sends mail as soon as it is queued', async () => {
    const outbox = new MailOutbox({ store: fixture.stores.auth.outbox, transport: new SmtpTransport(sink.url), clock: { now: () => new Date() }, from: FROM });
    outbox.start(60_000);
    await outbox.enqueue('test', { to: 'erin@example.org', subject: 'woken', text: 'w\n' });
    await sink.waitForMail('erin@example.org', 'woken');
    await outbox.stop();
  });

  test('AUTHN-1d: the file transport writes an .eml file and says where', async () => {
    const dir = join(fixture.dataDir, 'mail');
    const written: string[] = [];
    const transport = new FileTransport(dir, (file) => written.push(file));
    await transport.send({ from: FROM, to: 'frank@example.org', subject: 'to a file', text: 'saved\n' });
    const files = await readdir(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /\.eml$/);
    assert.deepEqual(written, [join(dir, files[0]!)]);
    const eml = await readFile(join(dir, files[0]!), 'utf8');
    assert.match(eml, /^To: frank@example.org$/m);
    assert.match(eml, /^Subject: to a file$/m);
  });

  test('AUTHN-1d: every critical-change mail reaches the user through SMTP', async () => {
    const outbox = new MailOutbox({ store: fixture.stores.auth.outbox, transport: new SmtpTransport(sink.url), clock: { now: () => new Date() }, from: FROM });
    const kinds: SecurityMailKind[] = [
      'password-changed', 'password-reset-link', 'password-reset', 'mfa-added', 'mfa-removed', 'recovery-codes-generated', 'recovery-code-used',
      'email-changed-old', 'email-changed-new', 'token-created', 'passkey-added', 'new-device-sign-in', 'recovery-started', 'password-leaked',
    ];
    const subjects = new Set<string>();
    for (const kind of kinds) {
      const message = securityMail(kind, {
        to: `grace+${kind}@example.org`, userName: 'grace', registry: 'registry.example.org', at: new Date(), accountUrl: 'https://registry.example.org/-/account',
        ip: '192.0.2.7', userAgent: 'npm/11', factor: 'authenticator app', tokenName: 'ci', tokenDisplay: 'bwk_…abcd', otherEmail: 'old@example.org', codesLeft: 9,
        singleUseLink: `https://registry.example.org/-/reset/${kind}-single-use`, linkExpiresAt: new Date(Date.now() + 3600_000),
      });
      subjects.add(message.subject);
      await outbox.enqueue(kind, message);
    }
    assert.equal(subjects.size, kinds.length, 'each kind has its own subject');
    await outbox.deliverDue();
    for (const kind of kinds) {
      const mail = await sink.waitFor((m) => m.to.includes(`grace+${kind}@example.org`));
      assert.match(mail.subject, /^\[registry\.example\.org\] /);
      assert.match(mail.text, /^Hello grace,/);
      const links: string[] = mail.text.match(/https?:\/\/\S+/g) ?? [];
      if (kind === 'password-reset-link' || kind === 'recovery-started') assert.ok(links.includes(`https://registry.example.org/-/reset/${kind}-single-use`), `${kind} carries its single-use link`);
      else assert.deepEqual(links, ['https://registry.example.org/-/account'], `${kind} carries no secret link`);
    }
    assert.throws(() => securityMail('password-reset-link', { to: 'x@example.org', userName: 'x', registry: 'r', at: new Date(), accountUrl: 'https://r/' }), /single-use link/);
    await outbox.stop();
  });

  test('AUTHN-1d: a notice queues the mail and records the change in the security log', async () => {
    const clock = { now: () => new Date() };
    const outbox = new MailOutbox({ store: fixture.stores.auth.outbox, transport: new SmtpTransport(sink.url), clock, from: FROM });
    const events = new SecurityEvents({ store: fixture.stores.auth.securityEvents, clock });
    const notices = new SecurityNotices({ outbox, events, clock, registry: 'registry.example.org', accountUrl: 'https://registry.example.org/-/account/security' });
    const user = await fixture.user('heidi');
    await notices.notify(user, 'mfa-removed', { ip: '192.0.2.5', factor: 'authenticator app' }, 'totp-removed', { factor: 'totp' });
    await notices.notify(user, 'email-changed-old', { otherEmail: 'new@example.org' }, 'email-changed');
    await notices.notify(user, 'email-changed-new', { to: 'new@example.org', otherEmail: user.email });
    await outbox.deliverDue();
    const removed = await sink.waitForMail(user.email, 'A second factor was removed');
    assert.match(removed.text, /From: 192\.0\.2\.5/);
    await sink.waitForMail(user.email, 'Your email address was changed');
    await sink.waitForMail('new@example.org', 'now your account');
    assert.deepEqual((await events.listSecurityEvents(user.id)).map((e) => e.kind), ['email-changed', 'totp-removed']);
    await outbox.stop();
  });
});
