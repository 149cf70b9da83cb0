import { Command } from 'commander';
import { loadConfig, startRegistry, createLogger } from '@bulwark/server';

export function serveCommand(): Command {
  return new Command('serve')
    .description('start the registry')
    .option('--host <host>', 'interface to listen on (BULWARK_HOST, default 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free port (BULWARK_PORT, default 4873)')
    .option('--data-dir <dir>', 'where metadata and tarballs live (BULWARK_DATA_DIR, default ./.data)')
    .option('--config <file>', 'JSON config file (BULWARK_CONFIG)')
    .option('--base-path <path>', 'mount the registry under a path, e.g. /npm (BULWARK_BASE_PATH)')
    .option('--public-url <url>', 'the URL clients use, for tarball links (BULWARK_PUBLIC_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (BULWARK_LOG_LEVEL)')
    .action(async (opts: Record<string, string | undefined>) => {
      const config = loadConfig({
        file: opts.config,
        env: process.env,
        flags: { host: opts.host, port: opts.port, dataDir: opts.dataDir, basePath: opts.basePath, publicUrl: opts.publicUrl, logLevel: opts.logLevel },
      });
      const logger = createLogger(config);
      const registry = await startRegistry(config, logger);
      let closing = false;
      const shutdown = (signal: string) => {
        if (closing) return;
        closing = true;
        logger.info({ signal }, 'shutting down');
        registry.close().then(() => process.exit(0), (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        });
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}
