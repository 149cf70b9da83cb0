import { entryBytes, type RegistryEvent } from '@bulwark/server/domain/registry-event';
import { hashLeaf } from '@bulwark/server/domain/tlog/index';
import type { FeedEntry } from './registry-client.js';

/** GEN-3b: a feed entry's leaf bytes (RFC 8785 canonical JSON of `{index, time, ...event}`). */
export function feedEntryBytes(entry: FeedEntry): Uint8Array {
  const { index, time, ...event } = entry;
  return entryBytes({ index, time, event: event as unknown as RegistryEvent });
}

export function feedLeafHash(entry: FeedEntry): Uint8Array {
  return hashLeaf(feedEntryBytes(entry));
}
