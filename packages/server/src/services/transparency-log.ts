import { createHash } from 'node:crypto';
import type { MetadataOps } from '../domain/ports.js';
import { entryBytes, type LogEntry, type RegistryEvent } from '../domain/registry-event.js';

/** RFC 9162 leaf hash: SHA-256(0x00 || entry bytes). */
export function leafHash(entry: LogEntry): Uint8Array {
  return createHash('sha256').update(Buffer.from([0])).update(entryBytes(entry)).digest();
}

/**
 * GEN-3b: appends an event to the transparency log inside the caller's transaction, so a change
 * and its log entry commit together or not at all.
 */
export async function recordEvent(tx: MetadataOps, event: RegistryEvent, now: Date): Promise<LogEntry> {
  const index = await tx.allocateLogIndex();
  const entry: LogEntry = { index, time: now.toISOString(), event };
  await tx.insertLogEntry(entry, leafHash(entry));
  return entry;
}

/** The public side of the log: the changes feed for mirrors and monitors. */
export class LogFeed {
  constructor(private readonly store: Pick<MetadataOps, 'listLogEntries' | 'logSize'>) {}

  /** Entries from `since`, at most `limit`, and the log's size now. */
  async entries(since: number, limit: number): Promise<{ entries: LogEntry[]; size: number }> {
    const [entries, size] = await Promise.all([this.store.listLogEntries(since, limit), this.store.logSize()]);
    return { entries, size };
  }
}
