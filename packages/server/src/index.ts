export { loadConfig, ConfigError, ENV_KEYS } from './config/load-config.js';
export type { Config } from './config/schema.js';
export { buildRegistry, startRegistry, openStores, createLogger, systemClock, totpServiceFor, buildAuthServices, type AuthServices, type RunningRegistry, type Stores } from './main.js';
export { Accounts } from './services/accounts.js';
export { RegistryError, isRegistryError, type ErrorCode } from './domain/errors.js';
export { ERROR_TABLE } from './domain/error-table.js';
export { recordKeyRotation } from './services/transparency-log.js';
export { rotateTlogKeyFile, loadOrCreateTlogKey } from './adapters/keys/tlog-key-file.js';
