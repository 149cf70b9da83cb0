import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import { parsePackageName } from '../domain/package-name.js';
import type { BlobStore, Clock, MetadataStore } from '../domain/ports.js';
import { decideTokenScope } from '../policy/token-scope.js';
import { enforce } from '../policy/decision.js';
import type { ChangeFeed } from './change-feed.js';
import type { PackumentCache, RenderedDocument } from './packument-cache.js';

export interface TarballHit {
  readonly data: Uint8Array;
  readonly integrity: string;
  readonly blobKey: string;
}

const TARBALL_CACHE_BYTES = 64 * 1024 * 1024;
const TARBALL_CACHE_MAX_ITEM = 1024 * 1024;

/**
 * The read path: authorise, then send what was precomputed. Tarballs are immutable and
 * content-addressed, so small ones are kept in memory without any invalidation.
 */
export class PackageReads {
  private readonly tarballIndex = new Map<string, { blobKey: string; integrity: string } | null>();
  private readonly tarballBytes = new Map<string, Uint8Array>();
  private cachedBytes = 0;

  constructor(private readonly deps: { store: MetadataStore; blobs: BlobStore; cache: PackumentCache; clock: Clock; feed: ChangeFeed }) {
    deps.feed.subscribe((name) => {
      for (const key of this.tarballIndex.keys()) if (key.startsWith(`${name}@`)) this.tarballIndex.delete(key);
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
    return doc;
  }

  async distTags(actor: Actor, name: string): Promise<Record<string, string>> {
    this.authorizeRead(actor, name);
    const record = await this.deps.store.findPackage(name);
    if (!record) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${name}`);
    return { ...record.distTags };
  }

  /** A tarball by its npmjs-style file name (`<basename>-<version>.tgz`). */
  async tarball(actor: Actor, name: string, fileName: string): Promise<TarballHit> {
    this.authorizeRead(actor, name);
    const pkg = parsePackageName(name);
    const prefix = `${pkg.basename}-`;
    if (!fileName.startsWith(prefix) || !fileName.endsWith('.tgz')) throw new RegistryError('E_NOT_FOUND', `Not found: ${name}/-/${fileName}`);
    const version = fileName.slice(prefix.length, -'.tgz'.length);
    const key = `${name}@${version}`;
    let location = this.tarballIndex.get(key);
    if (location === undefined) {
      const record = await this.deps.store.findVersion(name, version);
      location = record ? { blobKey: record.blobKey, integrity: record.integrity } : null;
      if (record) this.tarballIndex.set(key, location);
    }
    if (!location) throw new RegistryError('E_VERSION_NOT_FOUND', `Not found: ${name}/-/${fileName}`);
    let data = this.tarballBytes.get(location.blobKey);
    if (!data) {
      const stored = await this.deps.blobs.get(location.blobKey);
      if (!stored) throw new RegistryError('E_VERSION_NOT_FOUND', `Not found: ${name}/-/${fileName} (tarball missing from storage)`);
      data = stored;
      this.remember(location.blobKey, data);
    }
    return { data, integrity: location.integrity, blobKey: location.blobKey };
  }

  private remember(blobKey: string, data: Uint8Array): void {
    if (data.length > TARBALL_CACHE_MAX_ITEM) return;
    while (this.cachedBytes + data.length > TARBALL_CACHE_BYTES && this.tarballBytes.size > 0) {
      const [oldest, bytes] = this.tarballBytes.entries().next().value as [string, Uint8Array];
      this.tarballBytes.delete(oldest);
      this.cachedBytes -= bytes.length;
    }
    this.tarballBytes.set(blobKey, data);
    this.cachedBytes += data.length;
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
