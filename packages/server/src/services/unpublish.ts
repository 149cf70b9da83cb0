import semver from 'semver';
import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import type { RemovalKind } from '../domain/namespace-store.js';
import { parsePackageName, printable } from '../domain/package-name.js';
import { revString } from '../domain/packument.js';
import type { Clock, MetadataOps, MetadataStore } from '../domain/ports.js';
import type { PackageRecord, VersionRecord } from '../domain/records.js';
import { enforce } from '../policy/decision.js';
import { decidePackageWrite } from '../policy/publish-authz.js';
import { orgFactsFor } from './org-facts.js';
import { decideUnpublish, type UnpublishRules } from '../policy/unpublish-policy.js';
import type { ChangeFeed } from './change-feed.js';
import { rebuildPackageDocuments } from './package-documents.js';
import type { PackageStats } from './package-stats.js';
import { recordEvent } from './transparency-log.js';

/** Who removes and why: an owner (policy applies) or an operator (takedown, reason required). */
interface Remover {
  readonly kind: RemovalKind;
  readonly actor: string;
  readonly reason: string | null;
}

function checkRev(current: PackageRecord, rev: string | undefined): void {
  if (rev !== undefined && rev !== revString(current.name, current.rev)) {
    throw new RegistryError('E_REV_CONFLICT', `Document update conflict: ${current.name} is at revision ${revString(current.name, current.rev)}, not ${printable(rev)}.`);
  }
}

/** npm's rule when `latest` goes: the highest remaining version. */
function tagsWithout(distTags: Readonly<Record<string, string>>, removed: ReadonlySet<string>, remaining: readonly VersionRecord[]): Record<string, string> {
  const next: Record<string, string> = {};
  for (const [tag, version] of Object.entries(distTags)) if (!removed.has(version)) next[tag] = version;
  if (next.latest === undefined && remaining.length > 0) next.latest = semver.rsort(remaining.map((v) => v.version))[0]!;
  return next;
}

/** The document served for a removed name: npm's shape, `time.unpublished` says when and what. */
function tombstoneDocument(name: string, current: PackageRecord, versions: readonly VersionRecord[], remover: Remover, now: Date): string {
  const time: Record<string, unknown> = { created: current.createdAt.toISOString(), modified: now.toISOString() };
  for (const v of versions) time[v.version] = v.publishedAt.toISOString();
  time.unpublished = {
    time: now.toISOString(),
    versions: versions.map((v) => v.version),
    tags: current.distTags,
    ...(remover.kind === 'taken-down' ? { takenDown: true, reason: remover.reason } : { name: remover.actor }),
  };
  const what = remover.kind === 'taken-down' ? `was taken down by the registry operators on ${now.toISOString()}` : `was unpublished on ${now.toISOString()}`;
  return JSON.stringify({ _id: name, name, time, error: `${name} ${what} [E_PKG_UNPUBLISHED]`, code: 'E_PKG_UNPUBLISHED' });
}

/**
 * GEN-2a: owner unpublish (npm's protocol and policy) and operator takedown. Every removal leaves
 * a tombstone per name@version and tarball digest, forever, and a transparency-log entry written
 * in the same transaction. Tarball blobs are kept (not served) for forensics.
 */
export class Unpublisher {
  constructor(
    private readonly deps: { store: MetadataStore; clock: Clock; feed: ChangeFeed; stats: PackageStats; rules: UnpublishRules },
  ) {}

  private async ownerFacts(tx: MetadataOps, actor: Actor, name: string, now: Date) {
    const maintainers = await tx.listMaintainers(name);
    const org = await orgFactsFor(tx, name, actor.kind === 'user' ? actor.user.id : null);
    enforce(decidePackageWrite({ actor, packageName: name, scope: parsePackageName(name).scope, maintainerIds: maintainers.map((m) => m.userId), scopeOwnerId: undefined, org, now }));
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to unpublish.');
    return { user: actor.user.name, ownerCount: maintainers.length, dependents: await tx.listDependents(name, 3) };
  }

  /** `PUT /{name}/-rev/{rev}` with versions left out: those versions are unpublished. */
  removeVersions(actor: Actor, name: string, versions: readonly string[], rev: string | undefined, policyUrl: string): Promise<void> {
    return this.removeUnderPolicy(actor, name, rev, policyUrl, (all) => all.filter((v) => versions.includes(v.version)));
  }

  /** Owner unpublish of the versions `pick` chooses, under the policy, in one transaction. */
  private async removeUnderPolicy(actor: Actor, name: string, rev: string | undefined, policyUrl: string, pick: (all: VersionRecord[]) => VersionRecord[]): Promise<void> {
    const now = this.deps.clock.now();
    const weeklyDownloads = await this.deps.stats.weeklyDownloads(name);
    await this.deps.store.transaction(async (tx) => {
      const current = await this.lockPackage(tx, name);
      checkRev(current, rev);
      const facts = await this.ownerFacts(tx, actor, name, now);
      const all = await tx.listVersions(name);
      const removing = pick(all);
      if (removing.length === 0) throw new RegistryError('E_VERSION_NOT_FOUND', `${name} has none of those versions.`);
      const target = removing.length === all.length ? name : `${name}@${removing.map((v) => v.version).join(', ')}`;
      enforce(decideUnpublish(this.deps.rules, { ...facts, target, weeklyDownloads, policyUrl, now, publishedAt: oldest(removing) }));
      const remover: Remover = { kind: 'unpublished', actor: facts.user, reason: null };
      if (removing.length === all.length) await this.removeWholePackage(tx, current, all, remover, now);
      else await this.removeSomeVersions(tx, current, all, removing, remover, now);
    });
    this.deps.feed.packageChanged(name);
  }

  /**
   * What the policy would answer now for unpublishing `name` (or one version), for the web UI and
   * clients to show before anyone tries. Who asks is not checked here (only owners may unpublish).
   */
  async preview(name: string, version: string | null, policyUrl: string): Promise<{ allowed: boolean; reason: string | null }> {
    parsePackageName(name);
    const now = this.deps.clock.now();
    const all = await this.deps.store.listVersions(name);
    const removing = version === null ? all : all.filter((v) => v.version === version);
    if (removing.length === 0) throw new RegistryError(version === null ? 'E_PKG_NOT_FOUND' : 'E_VERSION_NOT_FOUND', `Not found: ${name}${version === null ? '' : `@${printable(version)}`}`);
    const [weeklyDownloads, maintainers, dependents] = await Promise.all([
      this.deps.stats.weeklyDownloads(name), this.deps.store.listMaintainers(name), this.deps.store.listDependents(name, 3),
    ]);
    const target = removing.length === all.length ? name : `${name}@${removing[0]!.version}`;
    const decision = decideUnpublish(this.deps.rules, { target, publishedAt: oldest(removing), now, weeklyDownloads, ownerCount: maintainers.length, dependents, policyUrl });
    return decision.allow ? { allowed: true, reason: null } : { allowed: false, reason: decision.reason };
  }

  /** `DELETE /{name}/-rev/{rev}` (`npm unpublish name --force`, or the last version). */
  removePackage(actor: Actor, name: string, rev: string | undefined, policyUrl: string): Promise<void> {
    return this.removeUnderPolicy(actor, name, rev, policyUrl, (all) => all);
  }

  /**
   * `DELETE /{name}/-/{file}.tgz/-rev/{rev}`, npm's last step after the PUT: the version is
   * already gone, so this only confirms it. A live version is unpublished here (same policy).
   */
  async removeTarball(actor: Actor, name: string, fileName: string, rev: string | undefined, policyUrl: string): Promise<void> {
    const pkg = parsePackageName(name);
    const prefix = `${pkg.basename}-`;
    if (!fileName.startsWith(prefix) || !fileName.endsWith('.tgz')) throw new RegistryError('E_NOT_FOUND', `Not found: ${name}/-/${printable(fileName)}`);
    const version = fileName.slice(prefix.length, -'.tgz'.length);
    if (await this.deps.store.findVersion(name, version)) return this.removeVersions(actor, name, [version], rev, policyUrl);
    const current = await this.deps.store.findPackage(name);
    if (!current) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${name}`);
    // Only a maintainer learns that the tarball is gone.
    await this.ownerFacts(this.deps.store, actor, name, this.deps.clock.now());
    if (!(await this.deps.store.findTombstone(name, version))) throw new RegistryError('E_VERSION_NOT_FOUND', `Not found: ${name}/-/${printable(fileName)}`);
  }

  /**
   * Operator takedown (malware, legal): no policy applies, a reason is required and logged.
   * Taking down a whole name blocks it for everyone, former owners included, until released.
   */
  async takedown(operator: string, name: string, version: string | null, reason: string): Promise<{ removed: string[] }> {
    parsePackageName(name);
    if (reason.trim().length === 0 || reason.length > 1000) throw new RegistryError('E_BAD_REQUEST', 'A takedown needs a reason of 1 to 1000 characters.');
    const now = this.deps.clock.now();
    const remover: Remover = { kind: 'taken-down', actor: operator, reason: reason.trim() };
    const removed = await this.deps.store.transaction(async (tx) => {
      const current = await tx.findPackageForUpdate(name);
      if (!current) {
        // Already unpublished by its owners: the takedown blocks the name for them too.
        const deleted = await tx.findDeletedName(name);
        if (!deleted || version !== null) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${name}${version === null ? '' : `@${version}`}`);
        await tx.saveDeletedName({ ...deleted, kind: 'taken-down', actor: operator, reason: remover.reason });
        await recordEvent(tx, { type: 'taken-down', name, version: null, versions: [], reason: remover.reason!, actor: operator }, now);
        return [];
      }
      const all = await tx.listVersions(name);
      const removing = version === null ? all : all.filter((v) => v.version === version);
      if (removing.length === 0) throw new RegistryError('E_VERSION_NOT_FOUND', `Not found: ${name}@${printable(version ?? '')}`);
      if (removing.length === all.length) await this.removeWholePackage(tx, current, all, remover, now);
      else await this.removeSomeVersions(tx, current, all, removing, remover, now);
      return removing.map((v) => v.version);
    });
    this.deps.feed.packageChanged(name);
    return { removed };
  }

  /** An operator frees a deleted name for anyone; its removed versions stay tombstoned. */
  async releaseName(operator: string, name: string): Promise<void> {
    parsePackageName(name);
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.releaseDeletedName(name))) throw new RegistryError('E_NOT_FOUND', `${name} is not a deleted name.`);
      await recordEvent(tx, { type: 'name-released', name, actor: operator }, now);
    });
    this.deps.feed.packageChanged(name);
  }

  private async lockPackage(tx: MetadataOps, name: string): Promise<PackageRecord> {
    parsePackageName(name);
    const current = await tx.findPackageForUpdate(name);
    if (!current) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${name}`);
    return current;
  }

  private async bury(tx: MetadataOps, v: VersionRecord, remover: Remover, now: Date): Promise<void> {
    await tx.insertTombstone({
      name: v.name, version: v.version, integrity: v.integrity, blobKey: v.blobKey, kind: remover.kind,
      actor: remover.actor, reason: remover.reason, publishedAt: v.publishedAt, removedAt: now,
    });
    await tx.deleteVersion(v.name, v.version);
  }

  private async removeSomeVersions(tx: MetadataOps, current: PackageRecord, all: readonly VersionRecord[], removing: readonly VersionRecord[], remover: Remover, now: Date): Promise<void> {
    const name = current.name;
    for (const v of removing) {
      await this.bury(tx, v, remover, now);
      await recordEvent(tx, remover.kind === 'taken-down'
        ? { type: 'taken-down', name, version: v.version, versions: [v.version], reason: remover.reason!, actor: remover.actor }
        : { type: 'version-unpublished', name, version: v.version, integrity: v.integrity, actor: remover.actor }, now);
    }
    const gone = new Set(removing.map((v) => v.version));
    const distTags = tagsWithout(current.distTags, gone, all.filter((v) => !gone.has(v.version)));
    if (distTags.latest !== current.distTags.latest) await recordEvent(tx, { type: 'dist-tag-set', name, tag: 'latest', version: distTags.latest!, actor: remover.actor }, now);
    await rebuildPackageDocuments(tx, name, { now, current, distTags });
  }

  private async removeWholePackage(tx: MetadataOps, current: PackageRecord, all: readonly VersionRecord[], remover: Remover, now: Date): Promise<void> {
    const name = current.name;
    const maintainers = await tx.listMaintainers(name);
    for (const v of all) await this.bury(tx, v, remover, now);
    await tx.deletePackage(name);
    await tx.saveDeletedName({
      name, kind: remover.kind, actor: remover.actor, reason: remover.reason, deletedAt: now,
      formerOwnerIds: maintainers.map((m) => m.userId), doc: tombstoneDocument(name, current, all, remover, now),
    });
    const versions = all.map((v) => v.version);
    await recordEvent(tx, remover.kind === 'taken-down'
      ? { type: 'taken-down', name, version: null, versions, reason: remover.reason!, actor: remover.actor }
      : { type: 'package-unpublished', name, versions, actor: remover.actor }, now);
  }
}

function oldest(versions: readonly VersionRecord[]): Date {
  return new Date(Math.min(...versions.map((v) => v.publishedAt.getTime())));
}
