import { Command } from 'commander';
import { Accounts, loadConfig, openStores, systemClock, type Stores } from '@bulwark/server';
import { parseDuration } from '../parse-duration.js';

async function withStores<T>(dataDir: string | undefined, fn: (stores: Stores) => Promise<T>): Promise<T> {
  const config = loadConfig({ env: process.env, flags: { dataDir } });
  const stores = await openStores(config);
  try {
    return await fn(stores);
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
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (name: string, opts: { email: string; admin?: boolean; passwordStdin?: boolean; dataDir?: string }) => {
      const password = opts.passwordStdin ? await readStdin() : null;
      await withStores(opts.dataDir, async (stores) => {
        const accounts = new Accounts({ store: stores.metadata, clock: systemClock, registration: 'closed' });
        const created = await accounts.createUser({ name, email: opts.email, password, isAdmin: opts.admin === true });
        process.stderr.write(`created user ${created.name}${created.isAdmin ? ' (admin)' : ''}${password === null ? ' without a password (token access only)' : ''}\n`);
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
  return admin;
}
