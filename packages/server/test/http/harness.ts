import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import { buildRegistry, systemClock, type Stores } from '../../src/main.js';
import { Accounts } from '../../src/services/accounts.js';
import type { Clock } from '../../src/domain/ports.js';
import { pino } from 'pino';

export interface InProcessRegistry {
  readonly app: FastifyInstance;
  readonly stores: Stores;
  readonly dataDir: string;
  /** Creates a user with a password and returns a full-access token for it. */
  user(name: string, options?: { password?: string; token?: Parameters<Accounts['issueToken']>[1] }): Promise<string>;
  close(): Promise<void>;
}

/** A registry built in this process on a temp data dir, driven with `app.inject` (no socket). */
export async function inProcessRegistry(config: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}, clock: Clock = systemClock): Promise<InProcessRegistry> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bulwark-http-'));
  const file = join(dataDir, 'config.json');
  const { writeFile } = await import('node:fs/promises');
  // These tests are about other things than MFA and use plain tokens: MFA is off unless a test
  // asks for it (test/http/mfa-*.test.ts set mfa.required themselves).
  await writeFile(file, JSON.stringify({ mfa: { required: 'off' }, ...config, dataDir }));
  const loaded = loadConfig({ file, env });
  const { app, stores } = await buildRegistry(loaded, pino({ level: 'silent' }), clock);
  await app.ready();
  const accounts = new Accounts({ store: stores.metadata, clock: systemClock, registration: 'closed' });
  return {
    app,
    stores,
    dataDir,
    async user(name, options = {}) {
      const existing = await stores.metadata.findUserByName(name);
      const user = existing ?? (await accounts.createUser({ name, email: `${name}@example.com`, password: options.password ?? `${name}-password-123`, isAdmin: false }));
      return (await accounts.issueToken(user.id, options.token ?? {})).token;
    },
    async close() {
      await app.close();
      await stores.metadata.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
