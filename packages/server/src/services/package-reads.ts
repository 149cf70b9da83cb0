import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import { parsePackageName } from '../domain/package-name.js';
import type { BlobStore, Clock, MetadataStore } from '../domain/ports.js';
import { decideTokenScope } from '../policy/token-scope.js';
import { enforce } from '../policy/decision.js';
import type { ChangeFeed } from './change-feed.js';
import type { PackumentCache, RenderedDocument } from './packument-cache.js';

export interface TarballHit {
  /** A Buffer view over the stored bytes, ready to send. */
  readonly data: Buffer;
  readonly integrity: string;
  readonly blobKey: string;
}

const TARBALL_CACHE_BYTES = 64 * 1024 * 1024;
const TARBALL_CACHE_MAX_ITEM = 1024 * 1024;

/**
 * The read path: authorise, then send what was precomputed. Tarballs are immutable and
 * content-addressed, so small ones are kept in memory, keyed by the URL's name and file name;
 * a change to the package drops its entries (a later takedown must not be served from memory).
 */
export class PackageReads {
  private readonly tarballs = new Map<string, TarballHit>();
  private cachedBytes = 0;

  constructor(private readonly deps: { store: MetadataStore; blobs: BlobStore; cache: PackumentCache; clock: Clock; feed: ChangeFeed }) {
    deps.feed.subscribe((name) => {
      const prefix = `${name}\u0000`;
      for (const [key, hit] of this.tarballs) {
        if (key.startsWith(prefix)) {
          this.tarballs.delete(key);
          this.cachedBytes -= hit.data.length;
        }
      }
    });
  }

  private authorizeRead(actor: Actor, name: string): void {
    if (actor.kind === 'anonymous') return; // public read; only token grants narrow it
    enforce(decideTokenScope(actor, name, 'read', this.deps.clock.now()));
  }

  /** A cached document without waiting, or undefined when the cache must be filled first. */
  peekPackument(actor: Actor, name: string, baseUrl: string, abbreviated: boolean): RenderedDocument | undefined {
    this.authorizeRead(actor, name);
    return this.deps.cache.peek(name, baseUrl, abbreviated);
  }

  /** The document, or null when no such package exists (for callers that answer 404 without throwing). */
  async findPackument(actor: Actor, name: string, baseUrl: string, abbreviated: boolean): Promise<RenderedDocument | null> {
    this.authorizeRead(actor, name);
    return this.deps.cache.get(name, baseUrl, abbreviated);
  }

  async packument(actor: Actor, name: string, baseUrl: string, abbreviated: boolean): Promise<RenderedDocument> {
    const doc = await this.findPackument(actor, name, baseUrl, abbreviated);
    if (!doc) throw packageNotFound(name);
    if (doc.unpublished) throw new RegistryError('E_PKG_UNPUBLISHED', `${name} was unpublished; see GET /${name} for when.`);
    return doc;
  }

  async distTags(actor: Actor, name: string): Promise<Record<string, string>> {
    this.authorizeRead(actor, name);
    const record = await this.deps.store.findPackage(name);
    if (!record) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${name}`);
    return { ...record.distTags };
  }

  /** A cached tarball without waiting, or undefined when it must be looked up. */
  peekTarball(actor: Actor, name: string, fileName: string): TarballHit | undefined {
    this.authorizeRead(actor, name);
    return this.tarballs.get(`${name}\u0000${fileName}`);
  }

  /** A tarball by its npmjs-style file name (`<basename>-<version>.tgz`). */
  async tarball(actor: Actor, name: string, fileName: string): Promise<TarballHit> {
    const cached = this.peekTarball(actor, name, fileName);
    if (cached) return cached;
    const pkg = parsePackageName(name);
    const prefix = `${pkg.basename}-`;
    if (!fileName.startsWith(prefix) || !fileName.endsWith('.tgz')) throw new RegistryError('E_NOT_FOUND', `Not found: ${name}/-/${fileName}`);
    const version = fileName.slice(prefix.length, -'.tgz'.length);
    const record = await this.deps.store.findVersion(name, version);
    if (!record) throw new RegistryError('E_VERSION_NOT_FOUND', `Not found: ${name}/-/${fileName}`);
    const stored = await this.deps.blobs.get(record.blobKey);
    if (!stored) throw new RegistryError('E_VERSION_NOT_FOUND', `Not found: ${name}/-/${fileName} (tarball missing from storage)`);
    const hit: TarballHit = { data: Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength), integrity: record.integrity, blobKey: record.blobKey };
    this.remember(`${name}\u0000${fileName}`, hit);
    return hit;
  }

  private remember(key: string, hit: TarballHit): void {
    if (hit.data.length > TARBALL_CACHE_MAX_ITEM) return;
    while (this.cachedBytes + hit.data.length > TARBALL_CACHE_BYTES && this.tarballs.size > 0) {
      const [oldest, old] = this.tarballs.entries().next().value as [string, TarballHit];
      this.tarballs.delete(oldest);
      this.cachedBytes -= old.data.length;
    }
    this.tarballs.set(key, hit);
    this.cachedBytes += hit.data.length;
  }

  /** The transparency-log index of a version's publish entry (GEN-3b). */
  async logIndexOf(name: string, version: string): Promise<number> {
    const record = await this.deps.store.findVersion(name, version);
    if (!record || record.logIndex === null) throw new RegistryError('E_VERSION_NOT_FOUND', `${name}@${version.slice(0, 64)} has no log entry.`);
    return record.logIndex;
  }

  async search(text: string, size: number, from: number) {
    return this.deps.store.searchPackages(text, size, from);
  }

  async starredBy(userName: string): Promise<string[]> {
    const user = await this.deps.store.findUserByName(userName);
    return user ? this.deps.store.listStarredBy(user.id) : [];
  }
}

export function packageNotFound(name: string): RegistryError {
  return new RegistryError('E_PKG_NOT_FOUND', `Not found: ${name}`);
}
