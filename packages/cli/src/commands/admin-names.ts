import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { nameGuard, parseNamesTsv, systemClock } from '@bulwark/server';
import { withStores } from './with-stores.js';

/** GEN-1b: the protected corpus, allow- and deny-lists and names held for review. */
export function adminNamesCommand(): Command {
  const names = new Command('names').description('typosquat guard: protected names, allow/deny lists, held names');
  const dataDirOption = ['--data-dir <dir>', 'data directory (BULWARK_DATA_DIR, default ./.data)'] as const;
  names
    .command('import <file>')
    .description('import protected names from a TSV file (name<TAB>downloads per line); re-importing updates, it is idempotent')
    .option(...dataDirOption)
    .action(async (file: string, opts: { dataDir?: string }) => {
      const { rows, skipped } = parseNamesTsv(readFileSync(file, 'utf8'));
      await withStores(opts.dataDir, async (stores, config) => {
        const guard = nameGuard(config, stores, systemClock);
        const result = await guard.importNames(rows);
        const stats = await guard.warm();
        process.stderr.write(`imported ${rows.length} names (${result.added} new, ${result.updated} updated, ${skipped} lines skipped); ` +
          `the index protects the top ${config.names.protectedTop} (${stats.names} names with this registry's packages, built in ${stats.buildMs} ms). ` +
          `Running servers pick the change up within names.refreshSeconds (${config.names.refreshSeconds} s).\n`);
      });
    });
  for (const [verb, list, help] of [
    ['allow', 'allow', 'let this exact name through the similarity rules (also releases a held name)'],
    ['deny', 'deny', 'prohibit this exact name: every publish of it is refused'],
  ] as const) {
    names
      .command(`${verb} <name>`)
      .description(help)
      .option('--note <text>', 'why (kept with the entry)')
      .option(...dataDirOption)
      .action(async (name: string, opts: { note?: string; dataDir?: string }) => {
        await withStores(opts.dataDir, async (stores, config) => {
          await nameGuard(config, stores, systemClock).setList(name, list, opts.note ?? null);
          process.stderr.write(`${name} is on the ${list}-list\n`);
        });
      });
  }
  names
    .command('unlist <name>')
    .description('take a name off the allow- and deny-lists')
    .option(...dataDirOption)
    .action(async (name: string, opts: { dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores, config) => {
        await nameGuard(config, stores, systemClock).setList(name, null, null);
        process.stderr.write(`${name} is on no list\n`);
      });
    });
  names
    .command('list')
    .description('print the allow- and deny-lists and the names held for review (JSON)')
    .option(...dataDirOption)
    .action(async (opts: { dataDir?: string }) => {
      await withStores(opts.dataDir, async (stores, config) => {
        const guard = nameGuard(config, stores, systemClock);
        const [lists, held] = await Promise.all([guard.listLists(), guard.listHolds()]);
        process.stdout.write(`${JSON.stringify({ lists, held }, null, 2)}\n`);
      });
    });
  return names;
}
