#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError, isRegistryError } from '@bulwark/server';
import { adminCommand } from './commands/admin.js';
import { nameCommand } from './commands/name.js';
import { serveCommand } from './commands/serve.js';
import { tlogCommand } from './commands/tlog.js';
import { verifyCommand } from './commands/verify.js';
import { assessCommand } from './commands/assess.js';

const program = new Command('bulwark')
  .description('Bulwark: a secure, fast, npm-compatible package registry')
  .version('0.1.0')
  .addCommand(serveCommand())
  .addCommand(adminCommand())
  .addCommand(tlogCommand())
  .addCommand(nameCommand())
  .addCommand(verifyCommand())
  .addCommand(assessCommand())
  .exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError || isRegistryError(err)) {
    process.stderr.write(`bulwark: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bulwark: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
