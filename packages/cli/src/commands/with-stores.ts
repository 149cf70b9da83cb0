import { loadConfig, openStores, type Config, type Stores } from '@bulwark/server';

/** Opens a data directory's stores for one admin command and closes them afterwards. */
export async function withStores<T>(dataDir: string | undefined, fn: (stores: Stores, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig({ env: process.env, flags: { dataDir } });
  const stores = await openStores(config);
  try {
    return await fn(stores, config);
  } finally {
    await stores.metadata.close();
  }
}
