import { Command } from 'commander';
import { join } from 'node:path';
import { Accounts, loadConfig, openStores, recordKeyRotation, rotateTlogKeyFile, systemClock, totpServiceFor, type Config, type Stores } from '@bulwark/server';
import { parseDuration } from '../parse-duration.js';

async function withStores<T>(dataDir: string | undefined, fn: (stores: Stores, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig({ env: process.env, flags: { dataDir } });
  const stores = await openStores(config);
  try {
    return await fn(stores, config);
  } finally {
    await stores.metadata.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Operator bootstrap without the web UI: `bulwark admin user add`, `bulwark admin token create`. */
export function adminCommand(): Command {
  const admin = new Command('admin').description('operator commands that work on a data directory directly');
  const user = admin.command('user').description('manage users');
  user
    .command('add <name>')
    .description('create a user')
    .requiredOption('--email <address>', 'the user\'s email address')
    .option('--admin', 'make the user an operator (manages people, does not publish for others)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--totp', 'enrol an authenticator app (TOTP) and print its otpauth:// URI on stdout, recovery codes on stderr')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (name: string, opts: { email: string; admin?: boolean; passwordStdin?: boolean; totp?: boolean; dataDir?: string }) => {
      const password = opts.passwordStdin ? await readStdin() : null;
      await withStores(opts.dataDir, async (stores, config) => {
        const accounts = new Accounts({ store: stores.metadata, clock: systemClock, registration: 'closed' });
        const created = await accounts.createUser({ name, email: opts.email, password, isAdmin: opts.admin === true });
        process.stderr.write(`created user ${created.name}${created.isAdmin ? ' (admin)' : ''}${password === null ? ' without a password (token access only)' : ''}\n`);
        if (opts.totp) {
          // The URI holds the TOTP secret: it goes to stdout only, for the script or the user to keep.
          const { uri, recoveryCodes } = await totpServiceFor(config, stores).enrolConfirmed(created);
          process.stdout.write(`${uri}\n`);
          process.stderr.write(`TOTP enrolled. Recovery codes (each works once; keep them offline):\n${recoveryCodes.map((c) => `  ${c}\n`).join('')}`);
        }
      });
    });

  const token = admin.command('token').description('manage tokens');
  token
    .command('create <user>')
    .description('create a token for a user and print it (it is not shown again)')
    .option('--packages <names>', 'comma-separated packages the token may act on')
    .option('--scope <scope>', 'a scope (@name) the token may act on; repeat with commas')
    .option('--read-only', 'the token cannot publish or change anything')
    .option('--expires <duration>', 'lifetime, e.g. 30d, 12h (default: no expiry)')
    .option('--name <label>', 'a label shown in token lists')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (userName: string, opts: { packages?: string; scope?: string; readOnly?: boolean; expires?: string; name?: string; dataDir?: string }) => {
      const scopes = list(opts.scope);
      for (const scope of scopes) if (!/^@[a-z0-9][a-z0-9._-]*$/.test(scope)) throw new Error(`"${scope}" is not a scope: use @name`);
      const expiresAt = opts.expires ? new Date(Date.now() + parseDuration(opts.expires)) : null;
      await withStores(opts.dataDir, async (stores) => {
        const accounts = new Accounts({ store: stores.metadata, clock: systemClock, registration: 'closed' });
        const owner = await accounts.findUser(userName);
        const issued = await accounts.issueToken(owner.id, {
          name: opts.name ?? 'bulwark admin token create', readOnly: opts.readOnly === true, packages: list(opts.packages), scopes, expiresAt,
        });
        process.stdout.write(`${issued.token}\n`);
      });
    });
  const tlog = admin.command('tlog').description('transparency log operations');
  tlog
    .command('rotate-key')
    .description('replace the log signing key; the old key signs the rotation, which is logged (GEN-3b). Restart every node afterwards')
    .option('--key-file <file>', 'the key file (default <data dir>/tlog-signing.key)')
    .option('--operator <name>', 'who rotates, as recorded in the log', 'operator')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (opts: { keyFile?: string; operator: string; dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores, config) => {
        const file = opts.keyFile ?? config.tlog.keyFile ?? join(config.dataDir, 'tlog-signing.key');
        const newKey = await rotateTlogKeyFile(file, async (oldKey, next) => {
          const entry = await recordKeyRotation(stores.metadata, oldKey, next.verifierKey, opts.operator, new Date());
          process.stderr.write(`logged the rotation as entry ${entry.index}; old key ${oldKey.verifierKey}\n`);
        });
        process.stdout.write(`${newKey.verifierKey}\n`);
        process.stderr.write('new key written; restart every registry node so it signs with the new key, and publish the new verifier key above\n');
      });
    });
  return admin;
}
