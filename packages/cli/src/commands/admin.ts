import { Command } from 'commander';
import { join } from 'node:path';
import { Accounts, advisoryImporter, buildAuthServices, createLogger, type ImportResult, loadKeyEncryptionKey, recordKeyRotation, RegistrySigning, rotateTlogKeyFile, systemClock, totpServiceFor } from '@bulwark/server';
import { addNameRelease, addNamespaceCommands } from './admin-namespace.js';
import { adminNamesCommand } from './admin-names.js';
import { withStores } from './with-stores.js';
import { parseDuration } from '../parse-duration.js';
import { registerAdminOrg } from './admin-org.js';


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

  user
    .command('recover <name>')
    .description('operator-assisted account recovery (AUTHN-1b, docs/operations.md): revokes every token and session, removes TOTP, recovery codes and WebAuthn credentials, clears the password, and mails a single-use link to choose a new one; the old address is told, and the security log records who and why')
    .requiredOption('--reason <text>', 'why: how the person proved who they are, the ticket number (recorded and mailed)')
    .option('--operator <name>', 'who does it, as recorded', process.env.USER ?? 'operator')
    .option('--new-email <address>', 'send the link to this address and make it the account\'s address (the old one is lost or abandoned)')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (name: string, opts: { reason: string; operator: string; newEmail?: string; dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores, config) => {
        const auth = buildAuthServices(config, stores, createLogger({ logLevel: 'warn' }));
        const done = await auth.operatorRecovery.recover({ userName: name, reason: opts.reason, operator: opts.operator, newEmail: opts.newEmail ?? null });
        process.stderr.write([
          `recovery of ${done.user} started by ${opts.operator}:`,
          `  revoked ${done.tokensRevoked} token(s), ended ${done.sessionsEnded} session(s), removed ${done.totpRemoved ? 'the authenticator app and recovery codes' : 'no authenticator app'}, ${done.webauthnRemoved} WebAuthn credential(s); the password is cleared`,
          `  a single-use link (valid until ${done.linkExpiresAt.toISOString()}) is queued for ${done.linkSentTo}${done.linkSentTo !== done.oldEmail ? `; the account's address is now ${done.linkSentTo}` : ''}`,
          `  ${done.oldEmail} is told (recovery-started), and the security log records it`,
          '  mail leaves through the running registry\'s outbox',
          '',
        ].join('\n'));
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
    .option('--cidr <ranges>', 'addresses the token may be used from (CIDR, comma-separated)')
    .option('--name <label>', 'a label shown in token lists')
    .option('--bypass-2fa', 'an automation token: writes need no per-request one-time code. Only for a user with a second factor enrolled; the operator stands in for the confirmation')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (userName: string, opts: { packages?: string; scope?: string; readOnly?: boolean; expires?: string; cidr?: string; name?: string; bypass2fa?: boolean; dataDir?: string }) => {
      const scopes = list(opts.scope);
      for (const scope of scopes) if (!/^@[a-z0-9][a-z0-9._-]*$/.test(scope)) throw new Error(`"${scope}" is not a scope: use @name`);
      const expiresAt = opts.expires ? new Date(Date.now() + parseDuration(opts.expires)) : null;
      await withStores(opts.dataDir, async (stores, config) => {
        const accounts = new Accounts({ store: stores.metadata, clock: systemClock, registration: 'closed' });
        const owner = await accounts.findUser(userName);
        const bypass2fa = opts.bypass2fa === true;
        // Like npm's own automation tokens (issue 4): only for an owner who has a second factor.
        if (bypass2fa && !(await totpServiceFor(config, stores).isEnrolled(owner.id)) && (await stores.auth.webauthn.listForUser(owner.id)).length === 0) {
          throw new Error(`${userName} has no second factor enrolled: add one (bulwark admin user add --totp, npm profile enable-2fa, or the web UI) before creating an automation token`);
        }
        const issued = await accounts.issueToken(owner.id, {
          name: opts.name ?? 'bulwark admin token create', readOnly: opts.readOnly === true, packages: list(opts.packages), scopes, expiresAt, cidrs: list(opts.cidr), bypass2fa,
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
  const keys = admin.command('keys').description('registry signing keys (dist.signatures, /-/npm/v1/keys; AUTHZ-3c)');
  keys
    .command('list')
    .description('print the registry keys as /-/npm/v1/keys serves them')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (opts: { dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores, config) => {
        const signing = new RegistrySigning({ store: stores.provenance, kek: loadKeyEncryptionKey(config), clock: systemClock });
        await signing.init();
        process.stdout.write(`${JSON.stringify({ keys: signing.publicKeys() }, null, 2)}\n`);
      });
    });
  keys
    .command('rotate')
    .description('add a new signing key; older keys expire after the grace period and keep verifying versions published before. Every version is re-signed with the new key. Restart every node afterwards')
    .option('--grace-days <days>', 'days until the old keys expire (default signing.rotationGraceDays, 30)')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (opts: { graceDays?: string; dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores, config) => {
        const grace = opts.graceDays === undefined ? config.signing.rotationGraceDays : Number(opts.graceDays);
        if (!Number.isInteger(grace) || grace < 0) throw new Error('--grace-days must be a whole number of days');
        const signing = new RegistrySigning({ store: stores.provenance, kek: loadKeyEncryptionKey(config), clock: systemClock });
        await signing.init();
        const rotated = await signing.rotate(grace);
        for (const old of rotated.expired) process.stderr.write(`key ${old.keyid} expires ${old.expires.toISOString()}\n`);
        const signed = await signing.backfill(stores.metadata);
        process.stderr.write(`signed ${signed} version(s) with the new key; restart every registry node so it signs with it\n`);
        process.stdout.write(`${rotated.keyid}\n`);
      });
    });

  const packages = admin.command('packages').description('per-package settings');
  packages
    .command('set <name>')
    .description('change a package\'s settings')
    .option('--require-provenance', 'every new version must carry verified Sigstore provenance (AUTHZ-3c)')
    .option('--no-require-provenance', 'versions without provenance are accepted again')
    .option('--critical', 'writes need a security key or passkey approval from its maintainers (AUTHN-2c/3c), whatever its downloads')
    .option('--no-critical', 'critical again only if it is among the most downloaded')
    .option('--trusted-publishing-only', 'only tokens minted by trusted publishing (OIDC) may publish it (AUTHZ-3a)')
    .option('--no-trusted-publishing-only', 'tokens may publish it again')
    .option('--require-staging', 'new versions only through npm stage publish and a maintainer\'s approval with a second factor')
    .option('--no-require-staging', 'direct publishes are accepted again')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (name: string, opts: { requireProvenance?: boolean; critical?: boolean; trustedPublishingOnly?: boolean; requireStaging?: boolean; dataDir?: string }) => {
      if (opts.requireProvenance === undefined && opts.critical === undefined && opts.trustedPublishingOnly === undefined && opts.requireStaging === undefined) {
        throw new Error('nothing to set: use --[no-]require-provenance, --[no-]critical, --[no-]trusted-publishing-only or --[no-]require-staging');
      }
      await withStores(opts.dataDir, async (stores) => {
        if (!(await stores.metadata.findPackage(name))) throw new Error(`no package ${name}`);
        if (opts.requireProvenance !== undefined) {
          await stores.provenance.setRequireProvenance(name, opts.requireProvenance);
          process.stderr.write(`${name}: require provenance ${opts.requireProvenance ? 'on' : 'off'}\n`);
        }
        if (opts.critical !== undefined || opts.trustedPublishingOnly !== undefined || opts.requireStaging !== undefined) {
          await stores.packageSettings.set(name, {
            ...(opts.critical !== undefined ? { critical: opts.critical } : {}),
            ...(opts.trustedPublishingOnly !== undefined ? { trustedPublishingOnly: opts.trustedPublishingOnly } : {}),
            ...(opts.requireStaging !== undefined ? { requireStaging: opts.requireStaging } : {}),
          });
          if (opts.critical !== undefined) process.stderr.write(`${name}: critical ${opts.critical ? 'on' : 'off'} (running nodes apply it on the next write)\n`);
          if (opts.trustedPublishingOnly !== undefined) process.stderr.write(`${name}: trusted publishing only ${opts.trustedPublishingOnly ? 'on' : 'off'}\n`);
          if (opts.requireStaging !== undefined) process.stderr.write(`${name}: staging required ${opts.requireStaging ? 'on' : 'off'}\n`);
        }
      });
    });
  registerAdminOrg(admin);
  addNamespaceCommands(admin);
  const advisories = admin.command('advisories').description('the advisory database behind npm audit and the web UI warnings (GEN-2d, CLI-2a)');
  const report = (result: ImportResult) => {
    process.stdout.write(`${result.seen} records: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged, ${result.skipped} without npm packages, ${result.invalid} invalid\n`);
    for (const error of result.errors) process.stderr.write(`  invalid: ${error}\n`);
  };
  const progress = (result: ImportResult) => process.stderr.write(`  ... ${result.seen} records read, ${result.added + result.updated} written\n`);
  advisories
    .command('import <path>')
    .description('import OSV records from a JSON file (one record or an array), a JSON-lines file, a directory, or a zip like osv.dev\'s npm all.zip; rerunning continues an interrupted import and changes nothing that is current')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (path: string, opts: { dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores) => {
        report(await advisoryImporter(stores, path, progress).importFrom(path));
      });
    });
  advisories
    .command('sync [url]')
    .description('fetch OSV records from a URL (default: advisories.sync.url) and apply those with a newer "modified"')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (url: string | undefined, opts: { dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores, config) => {
        const source = url ?? config.advisories.sync.url;
        if (!source) throw new Error('No URL: pass one, or set advisories.sync.url (BULWARK_ADVISORIES_SYNC_URL).');
        if (!/^https?:\/\//.test(source)) throw new Error(`Not an http(s) URL: ${source}; use "bulwark admin advisories import" for files.`);
        report(await advisoryImporter(stores, source, progress).importFrom(source));
      });
    });
  const names = adminNamesCommand();
  addNameRelease(names);
  admin.addCommand(names);
  return admin;
}
