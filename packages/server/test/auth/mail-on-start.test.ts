import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SmtpSink } from '@bulwark/testkit';
import { loadConfig } from '../../src/config/load-config.js';
import { openStores, startRegistry } from '../../src/main.js';

test('AUTHN-1d: mail left in the outbox by an earlier run is sent when the server starts', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'bulwark-mail-start-'));
  const sink = await SmtpSink.start();
  try {
    const stores = await openStores({ dataDir });
    await stores.auth.outbox.enqueue('password-changed', { to: 'ivan@example.org', subject: 'queued before the crash', text: 'hello\n' }, new Date());
    await stores.metadata.close();
    const config = loadConfig({ env: { BULWARK_DATA_DIR: dataDir, BULWARK_PORT: '0', BULWARK_MAIL_SMTP_URL: sink.url } });
    const running = await startRegistry(config, pino({ level: 'silent' }));
    try {
      await sink.waitForMail('ivan@example.org', 'queued before the crash');
    } finally {
      await running.close();
    }
  } finally {
    await sink.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('AUTHN-1d: without an SMTP server, mail goes to .eml files in the data directory and the log says where', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'bulwark-mail-file-'));
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }));
  try {
    const running = await startRegistry(loadConfig({ env: { BULWARK_DATA_DIR: dataDir, BULWARK_PORT: '0' } }), logger);
    try {
      await running.auth.notices.notify({ id: 1, name: 'judy', email: 'judy@example.org' }, 'token-created', { tokenName: 'ci' });
      for (let i = 0; i < 100 && !lines.some((l) => typeof l.file === 'string'); i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await running.close();
    }
    const files = await readdir(join(dataDir, 'mail'));
    assert.equal(files.length, 1);
    const logged = lines.find((l) => typeof l.file === 'string');
    assert.equal(logged?.file, join(dataDir, 'mail', files[0]!));
    assert.equal(logged?.to, 'judy@example.org');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
