import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { MetadataStore } from '../domain/ports.js';
import { BASE_URL_MARKER } from '../domain/packument.js';
import type { ChangeFeed } from './change-feed.js';

export interface RenderedDocument {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly etag: string;
  readonly lastModified: string;
  /** GEN-2a: the name was unpublished or taken down; the body is its tombstone (`time.unpublished`). */
  readonly unpublished?: true;
}

interface Entry {
  full?: RenderedDocument;
  abbrev?: RenderedDocument;
  /** Known not to exist: 404s are a hot path (npm probes names) and must not reach the database. */
  missing?: true;
  /** A deleted name's tombstone document, for both kinds of request. */
  gone?: RenderedDocument;
}

/**
 * The read path's memory: each package's documents, with the base URL filled in and gzipped once.
 * Bounded by entry count (least recently used out); dropped on every change through the feed.
 */
export class PackumentCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every invalidation, so a fill that raced a change is not kept. */
  private generation = 0;

  constructor(private readonly store: MetadataStore, feed: ChangeFeed, private readonly maxEntries = 5000) {
    feed.subscribe((name) => this.invalidate(name));
  }

  invalidate(name: string): void {
    this.generation += 1;
    for (const key of this.entries.keys()) if (key.endsWith(`\u0000${name}`)) this.entries.delete(key);
  }

  /** A hit without a promise. It does not refresh recency: an evicted hot entry is just refilled. */
  peek(name: string, baseUrl: string, abbreviated: boolean): RenderedDocument | undefined {
    const entry = this.entries.get(`${baseUrl}\u0000${name}`);
    return entry ? (entry.gone ?? (abbreviated ? entry.abbrev : entry.full)) : undefined;
  }

  async get(name: string, baseUrl: string, abbreviated: boolean): Promise<RenderedDocument | null> {
    const render = (doc: string, kind: string, modifiedAt: Date, rev: number): RenderedDocument => {
      const body = Buffer.from(doc.replaceAll(BASE_URL_MARKER, baseUrl));
      const etag = `"${kind}${rev}-${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
      return { body, gzip: gzipSync(body), etag, lastModified: modifiedAt.toUTCString() };
    };
    const key = `${baseUrl}\u0000${name}`;
    let entry = this.entries.get(key);
    if (entry) {
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (entry.missing) return null;
      if (entry.gone) return entry.gone;
      const hit = abbreviated ? entry.abbrev : entry.full;
      if (hit) return hit;
    }
    const generation = this.generation;
    const record = await this.store.findPackage(name);
    if (!record) {
      const deleted = await this.store.findDeletedName(name);
      const gone: RenderedDocument | undefined = deleted ? { ...render(deleted.doc, 'u', deleted.deletedAt, 0), unpublished: true } : undefined;
      if (generation === this.generation) this.remember(key, gone ? { gone } : { missing: true });
      return gone ?? null;
    }
    const doc = abbreviated ? render(record.abbrevDoc, 'a', record.modifiedAt, record.rev) : render(record.fullDoc, 'f', record.modifiedAt, record.rev);
    if (generation !== this.generation) return doc;
    entry = this.entries.get(key) ?? {};
    if (abbreviated) entry.abbrev = doc;
    else entry.full = doc;
    this.remember(key, entry);
    return doc;
  }

  private remember(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
