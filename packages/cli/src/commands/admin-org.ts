import type { Command } from 'commander';
import { Organizations, systemClock } from '@bulwark/server';
import { withStores } from './with-stores.js';

/** `bulwark admin org create NAME --owner USER`: organizations are created by operators (AUTHZ-2a). */
export function registerAdminOrg(admin: Command): void {
  const org = admin.command('org').description('manage organizations (they own the scope of their name)');
  org
    .command('create <name>')
    .description('create an organization for the scope @<name>, with its first owner; members and teams are then managed with npm org / npm team')
    .requiredOption('--owner <user>', 'the first owner (must hold the scope already, or nobody may)')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)')
    .action(async (name: string, opts: { owner: string; dataDir?: string }) => {
      const orgName = name.replace(/^@/, '');
      await withStores(opts.dataDir, async (stores) => {
        await new Organizations({ store: stores.metadata, clock: systemClock }).create(orgName, opts.owner);
        process.stdout.write(`created organization ${orgName} (scope @${orgName}), owner ${opts.owner}\n`);
      });
    });
}
