import type { Command } from 'commander';
import { openUnpublisher } from '@bulwark/server';
import { withStores } from './with-stores.js';

const DATA_DIR = 'data directory (BULWARK_DATA_DIR, default ./.data)';

/** `NAME@VERSION` or `@scope/name@VERSION` -> parts; a bare name has no version. */
export function splitSpec(spec: string): { name: string; version: string | null } {
  const at = spec.lastIndexOf('@');
  return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : { name: spec, version: null };
}

/**
 * GEN-2a operator commands: takedown (malware, legal) and releasing a deleted name. Both are
 * recorded in the transparency log; a running registry picks them up from the log within a second.
 */
export function addNamespaceCommands(admin: Command): void {
  admin
    .command('takedown <spec>')
    .description('remove NAME or NAME@VERSION for malware or legal reasons; tombstoned forever and logged with the reason (public)')
    .option('--reason <text>', 'why (required; recorded in the public transparency log)')
    .option('--operator <name>', 'who takes it down, as recorded', 'operator')
    .option('--purge-blobs', 'also delete the removed tarballs from the blob store (default: kept for forensics)')
    .option('--list', 'show the removed versions of NAME (the takedown and unpublish audit) instead')
    .option('--data-dir <dir>', DATA_DIR)
    .action(async (spec: string, opts: { reason?: string; operator: string; purgeBlobs?: boolean; list?: boolean; dataDir?: string }) => {
      const { name, version } = splitSpec(spec);
      await withStores(opts.dataDir, async (stores, config) => {
        if (opts.list) {
          const deleted = await stores.metadata.findDeletedName(name);
          if (deleted) process.stdout.write(`${name}: name ${deleted.kind} by ${deleted.actor} at ${deleted.deletedAt.toISOString()}${deleted.reason ? ` reason: ${deleted.reason}` : ''}\n`);
          for (const t of await stores.metadata.listTombstones(name)) {
            process.stdout.write(`${t.name}@${t.version}\t${t.kind}\t${t.removedAt.toISOString()}\t${t.actor}\t${t.integrity}${t.reason ? `\t${t.reason}` : ''}\n`);
          }
          return;
        }
        if (!opts.reason) throw new Error('--reason is required: say why, it is recorded in the public transparency log');
        const { removed } = await openUnpublisher(stores, config).takedown(opts.operator, name, version, opts.reason);
        process.stderr.write(removed.length > 0 ? `took down ${removed.map((v) => `${name}@${v}`).join(', ')}\n` : `${name}: the deleted name is now blocked for its former owners too\n`);
        if (opts.purgeBlobs) {
          for (const v of removed) {
            const t = await stores.metadata.findTombstone(name, v);
            if (t && (await stores.metadata.countBlobReferences(t.blobKey)) === 0) await stores.blobs.delete(t.blobKey);
          }
          process.stderr.write(`purged the tarball blobs of ${removed.length} version(s)\n`);
        }
      });
    });

  const names = admin.command('names').description('package names');
  names
    .command('release <name>')
    .description('make a deleted (unpublished or taken-down) name available to anyone again; old versions stay tombstoned')
    .option('--operator <name>', 'who releases it, as recorded', 'operator')
    .option('--data-dir <dir>', DATA_DIR)
    .action(async (name: string, opts: { operator: string; dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores, config) => {
        await openUnpublisher(stores, config).releaseName(opts.operator, name);
        process.stderr.write(`released ${name}\n`);
      });
    });
}
