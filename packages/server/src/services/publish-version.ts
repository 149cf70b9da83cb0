import { isJsonObject } from '../domain/json-object.js';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import semver from 'semver';
import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import { parsePackageName, printable } from '../domain/package-name.js';
import { collisionKey } from '../domain/name-normalize.js';
import type { BlobStore, Clock, MetadataOps, MetadataStore } from '../domain/ports.js';
import type { PackageRecord, VersionRecord } from '../domain/records.js';
import { decidePackageWrite } from '../policy/publish-authz.js';
import { orgFactsFor } from './org-facts.js';
import { enforce } from '../policy/decision.js';
import { decideNameReuse } from '../policy/unpublish-policy.js';
import { declaredDependencies } from '../domain/namespace-store.js';
import type { ChangeFeed } from './change-feed.js';
import { inspectTarball, type TarballLimits } from './inspect-tarball.js';
import { rebuildPackageDocuments } from './package-documents.js';
import { recordEvent } from './transparency-log.js';
import type { Provenance } from './provenance/provenance-service.js';
import type { PackageSecuritySettingsStore } from '../domain/package-security-settings.js';

export interface PublishLimits extends TarballLimits {
  readonly tarballBytes: number;
}

/** Registry-owned or transport fields that are never stored from a publish body. */
const DROPPED_FIELDS = new Set(['_attachments', '_rev', '_npmUser', '_id', 'dist', 'maintainers', 'deprecated', 'users', 'time', 'dist-tags', 'versions']);
const KEPT_UNDERSCORE_FIELDS = new Set(['_nodeVersion', '_npmVersion', '_hasShrinkwrap']);
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

function invalid(message: string): RegistryError {
  return new RegistryError('E_INVALID_PACKAGE', message);
}


function dependencyMap(manifest: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = manifest[field];
  return isJsonObject(value) ? value : {};
}

/** npm merges optionalDependencies into dependencies when normalizing; compare the union. */
function installedDependencies(manifest: Record<string, unknown>): Record<string, unknown> {
  return { ...dependencyMap(manifest, 'dependencies'), ...dependencyMap(manifest, 'optionalDependencies') };
}

/**
 * Refuses "manifest confusion": the registry document must describe the same dependencies and
 * install scripts as the package.json that npm will actually unpack.
 */
function checkManifestMatchesTarball(manifest: Record<string, unknown>, packed: Record<string, unknown>): void {
  const checks: Array<[string, unknown, unknown]> = [
    ['dependencies', installedDependencies(manifest), installedDependencies(packed)],
    ['peerDependencies', dependencyMap(manifest, 'peerDependencies'), dependencyMap(packed, 'peerDependencies')],
  ];
  for (const script of INSTALL_SCRIPTS) {
    checks.push([`scripts.${script}`, dependencyMap(manifest, 'scripts')[script], dependencyMap(packed, 'scripts')[script]]);
  }
  for (const [field, sent, inTarball] of checks) {
    if (field.startsWith('scripts.') && sent === undefined) continue; // npm may add, never remove, lifecycle scripts
    if (!isDeepStrictEqual(sent, inTarball)) {
      throw new RegistryError('E_MANIFEST_MISMATCH', `The manifest's ${field} differs from package/package.json in the tarball.`);
    }
  }
}

function cleanManifest(manifest: Record<string, unknown>, hasInstallScript: boolean): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(manifest)) {
    if (DROPPED_FIELDS.has(key)) continue;
    if (key.startsWith('_') && !KEPT_UNDERSCORE_FIELDS.has(key)) continue;
    clean[key] = value;
  }
  if (hasInstallScript) clean.hasInstallScript = true;
  else delete clean.hasInstallScript;
  return clean;
}

interface ParsedPublish {
  readonly version: string;
  readonly manifest: Record<string, unknown>;
  readonly tarball: Buffer;
  readonly tags: Record<string, string>;
}

/** Checks the shape of the publish document npm sends (npm-registry-api.md 5.1). */
function parsePublishBody(name: string, body: unknown, limits: PublishLimits): ParsedPublish {
  if (!isJsonObject(body)) throw invalid('The publish body must be a JSON object.');
  if (body.name !== undefined && body.name !== name) throw invalid(`The document is for "${printable(String(body.name))}", not "${name}".`);
  if (body._id !== undefined && body._id !== name) throw invalid(`The document _id "${printable(String(body._id))}" is not "${name}".`);
  const versions = body.versions;
  if (!isJsonObject(versions) || Object.keys(versions).length !== 1) throw invalid('Publish exactly one version per request.');
  const [rawVersion, manifest] = Object.entries(versions)[0]!;
  if (!isJsonObject(manifest)) throw invalid('The version manifest must be an object.');
  const version = semver.valid(rawVersion);
  if (version === null || version !== rawVersion || rawVersion.length > 256) {
    throw new RegistryError('E_INVALID_VERSION', `"${printable(rawVersion)}" is not a valid semver version.`);
  }
  if (manifest.name !== name || manifest.version !== version) {
    throw invalid(`The manifest says ${printable(String(manifest.name))}@${printable(String(manifest.version))}, the request is for ${name}@${version}.`);
  }
  const attachments = body._attachments;
  if (!isJsonObject(attachments)) throw invalid('The publish body has no _attachments.');
  const tgzKeys = Object.keys(attachments).filter((k) => k.endsWith('.tgz'));
  if (tgzKeys.length !== 1) throw invalid('The publish body must carry exactly one .tgz attachment.');
  const attachment = attachments[tgzKeys[0]!];
  if (!isJsonObject(attachment) || typeof attachment.data !== 'string') throw invalid('The tarball attachment has no base64 data.');
  if (attachment.data.length > Math.ceil(limits.tarballBytes / 3) * 4 + 4) {
    throw new RegistryError('E_BODY_TOO_LARGE', `The tarball is over the ${limits.tarballBytes}-byte limit.`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(attachment.data)) throw invalid('The tarball attachment is not valid base64.');
  const tarball = Buffer.from(attachment.data, 'base64');
  if (tarball.length === 0) throw invalid('The tarball attachment is empty.');
  if (tarball.length > limits.tarballBytes) throw new RegistryError('E_BODY_TOO_LARGE', `The tarball is over the ${limits.tarballBytes}-byte limit.`);
  if (attachment.length !== undefined && attachment.length !== tarball.length) {
    throw new RegistryError('E_INTEGRITY_MISMATCH', `The attachment says ${String(attachment.length)} bytes but carries ${tarball.length}.`);
  }
  const rawTags = body['dist-tags'];
  const tags: Record<string, string> = {};
  if (rawTags !== undefined) {
    if (!isJsonObject(rawTags)) throw invalid('dist-tags must be an object.');
    for (const [tag, target] of Object.entries(rawTags)) {
      if (target !== version) throw invalid(`dist-tag "${printable(tag)}" must point at the version being published.`);
      if (!isValidTag(tag)) throw invalid(`"${printable(tag)}" is not a valid dist-tag.`);
      tags[tag] = version;
    }
  }
  if (Object.keys(tags).length === 0) tags.latest = version;
  return { version, manifest, tarball, tags };
}

/** A tag must not parse as a version or range (npm's rule) and must be URL-safe. */
export function isValidTag(tag: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(tag) && semver.validRange(tag) === null;
}

function checkIntegrity(manifest: Record<string, unknown>, tarball: Buffer): { integrity: string; shasum: string; blobKey: string } {
  const sha512 = createHash('sha512').update(tarball).digest();
  const shasum = createHash('sha1').update(tarball).digest('hex');
  const integrity = `sha512-${sha512.toString('base64')}`;
  const dist = manifest.dist;
  if (!isJsonObject(dist) || (dist.integrity === undefined && dist.shasum === undefined)) {
    throw new RegistryError('E_INTEGRITY_MISMATCH', 'The manifest declares neither dist.integrity nor dist.shasum.');
  }
  if (dist.shasum !== undefined && dist.shasum !== shasum) {
    throw new RegistryError('E_INTEGRITY_MISMATCH', `The tarball's sha1 is ${shasum}, the manifest declares ${printable(String(dist.shasum))}.`);
  }
  if (dist.integrity !== undefined) {
    const declared = String(dist.integrity).split(/\s+/).filter(Boolean);
    const sha512Entries = declared.filter((d) => d.startsWith('sha512-'));
    const matches = sha512Entries.length > 0 ? sha512Entries.some((d) => d.split('?')[0] === integrity) : declared.some((d) => d === `sha1-${Buffer.from(shasum, 'hex').toString('base64')}`);
    if (!matches) throw new RegistryError('E_INTEGRITY_MISMATCH', `The tarball's integrity is ${integrity}, the manifest declares ${printable(String(dist.integrity))}.`);
  }
  return { integrity, shasum, blobKey: sha512.toString('hex') };
}

interface Preflight {
  readonly pkg: ReturnType<typeof parsePackageName>;
  readonly now: Date;
  readonly existing: PackageRecord | null;
  readonly scopeOwnerId: number | null | undefined;
  readonly org: Awaited<ReturnType<typeof orgFactsFor>>;
  readonly parsed: ParsedPublish;
  readonly digests: { integrity: string; shasum: string; blobKey: string };
  readonly contents: ReturnType<typeof inspectTarball>;
  readonly hasInstallScript: boolean;
  readonly user: { readonly id: number; readonly name: string };
}

/** How the log names who published: a user, or the CI workflow a trusted publisher token was minted for. */
function publisherOf(actor: Actor): { actorKind: 'user' } | { actorKind: 'trusted-publisher'; publisher: string } {
  const tp = actor.kind === 'user' && actor.via === 'token' ? actor.token.trustedPublisher : null;
  return tp ? { actorKind: 'trusted-publisher', publisher: `${tp.provider}:${tp.repository}` } : { actorKind: 'user' };
}

/** Publishes one new version: verify everything, store the tarball, then commit the metadata. */
export class PublishVersion {
  constructor(
    private readonly deps: {
      store: MetadataStore; blobs: BlobStore; clock: Clock; feed: ChangeFeed; limits: PublishLimits;
      /** Hours after a whole-package unpublish before its former owners may publish again (GEN-2a). */
      nameQuarantineHours?: number;
      /** GEN-1b typosquat guard for new names (services/name-guard.ts); absent: no name policy. */
      names?: { assertPublishable(actor: Actor, name: string): Promise<void> };
      /** AUTHZ-3c: provenance verification and registry signatures. */
      provenance?: Provenance;
      /** Per-package switches (staging required). */
      settings?: Pick<PackageSecuritySettingsStore, 'get'>;
    },
  ) {}

  /** GEN-2a: a removed name@version, or removed tarball bytes, are never published again; a deleted name is reserved. */
  private async checkTombstones(tx: MetadataOps, userId: number, name: string, version: string, blobKey: string | null, newPackage: boolean, policyUrl: string, now: Date): Promise<boolean> {
    const buried = (await tx.findTombstone(name, version)) ?? (blobKey === null ? null : await tx.findTombstoneByBlobKey(blobKey));
    if (buried) {
      const what = buried.kind === 'taken-down' ? 'taken down by the registry operators' : 'unpublished';
      throw new RegistryError('E_VERSION_TOMBSTONED', `${buried.name}@${buried.version} was ${what} on ${buried.removedAt.toISOString()}; that version (and its tarball) can never be published again. Publish a new version. Policy: ${policyUrl}`);
    }
    if (!newPackage) return false;
    const deleted = await tx.findDeletedName(name);
    if (!deleted) return false;
    enforce(decideNameReuse({ name, deleted, userId, now, quarantineHours: this.deps.nameQuarantineHours ?? 24, policyUrl }));
    return true;
  }

  /**
   * Everything a publish checks before it stores anything: authorization, the name policy, the
   * body, integrity, tombstones and the tarball's contents. Staged publishes run it at stage time.
   */
  async preflight(actor: Actor, name: string, body: unknown, policyUrl = '/-/bulwark/policies/unpublish'): Promise<Preflight> {
    const { store, clock, limits } = this.deps;
    const pkg = parsePackageName(name);
    const now = clock.now();
    // Authorization first: a stranger learns nothing about the tarball checks.
    const [existing, scopeOwnerId] = await Promise.all([store.findPackage(name), this.scopeOwner(pkg.scope)]);
    const maintainerIds = existing ? (await store.listMaintainers(name)).map((m) => m.userId) : null;
    const org = await orgFactsFor(store, name, actor.kind === 'user' ? actor.user.id : null);
    enforce(decidePackageWrite({ actor, packageName: name, scope: pkg.scope, maintainerIds, scopeOwnerId, org, now }));
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to publish packages.');
    if (!existing) await this.deps.names?.assertPublishable(actor, name);

    const parsed = parsePublishBody(name, body, limits);
    if (await store.findVersion(name, parsed.version)) {
      throw new RegistryError('E_VERSION_EXISTS', `You cannot publish over the previously published version ${parsed.version}.`);
    }
    const digests = checkIntegrity(parsed.manifest, parsed.tarball);
    await this.checkTombstones(store, actor.user.id, name, parsed.version, digests.blobKey, !existing, policyUrl, now);
    const contents = inspectTarball(parsed.tarball, limits);
    if (contents.packageJson.name !== name || contents.packageJson.version !== parsed.version) {
      throw new RegistryError('E_MANIFEST_MISMATCH', `package/package.json in the tarball is for ${printable(String(contents.packageJson.name))}@${printable(String(contents.packageJson.version))}, not ${name}@${parsed.version}.`);
    }
    checkManifestMatchesTarball(parsed.manifest, contents.packageJson);
    const packedScripts = dependencyMap(contents.packageJson, 'scripts');
    const hasInstallScript = contents.hasBindingGyp || INSTALL_SCRIPTS.some((s) => typeof packedScripts[s] === 'string');
    return { pkg, now, existing, scopeOwnerId, org, parsed, digests, contents, hasInstallScript, user: actor.user };
  }

  async publish(actor: Actor, name: string, body: unknown, policyUrl = '/-/bulwark/policies/unpublish', options: { viaStage?: boolean } = {}): Promise<{ name: string; version: string }> {
    const { store, blobs, feed } = this.deps;
    if (actor.kind === 'user' && actor.via === 'token' && actor.token.trustedPublisher?.stageOnly) {
      throw new RegistryError('E_FORBIDDEN', 'This trusted publisher may only stage publishes (npm stage publish); an owner approves them.');
    }
    const { pkg, now, existing, scopeOwnerId, org, parsed, digests, contents, hasInstallScript } = await this.preflight(actor, name, body, policyUrl);
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to publish packages.');
    if (!options.viaStage && existing && (await this.deps.settings?.get(name))?.requireStaging) {
      throw new RegistryError('E_STAGING_REQUIRED', `${name} takes new versions only through npm stage publish, approved by a maintainer with a second factor.`);
    }
    // AUTHZ-3c: verify any provenance and sign the version before anything is stored.
    const seal = await this.deps.provenance?.sealPublish({ actor, name, version: parsed.version, integrity: digests.integrity, tarball: parsed.tarball, body, at: now });

    const record: VersionRecord = {
      name, version: parsed.version, manifest: cleanManifest(parsed.manifest, hasInstallScript),
      integrity: digests.integrity, shasum: digests.shasum, blobKey: digests.blobKey, size: parsed.tarball.length,
      fileCount: contents.fileCount, unpackedSize: contents.unpackedSize, publishedAt: now, publishedBy: actor.user.id, deprecated: null,
      logIndex: null, signatures: seal?.signatures ?? [], attestations: seal?.attestations ?? null,
    };
    // The blob goes first and durably; until the metadata commits nobody can reach it.
    const blobExisted = (await blobs.head(digests.blobKey)) !== null;
    if (!blobExisted) await blobs.put(digests.blobKey, parsed.tarball);
    try {
      await store.transaction(async (tx) => {
        const current = await tx.findPackageForUpdate(name);
        if (current && !existing) {
          // Created concurrently: re-check that this actor may write it.
          const ids = (await tx.listMaintainers(name)).map((m) => m.userId);
          enforce(decidePackageWrite({ actor, packageName: name, scope: pkg.scope, maintainerIds: ids, scopeOwnerId, org, now }));
        }
        // Re-checked under the lock: an unpublish may have committed since the checks above.
        if (await this.checkTombstones(tx, actor.user.id, name, parsed.version, null, !current, policyUrl, now)) await tx.releaseDeletedName(name);
        const logged = await recordEvent(tx, { type: 'version-published', name, version: parsed.version, integrity: digests.integrity, actor: actor.user.name, ...publisherOf(actor), provenance: seal?.bundleDigest ?? null }, now);
        await tx.insertVersion({ ...record, logIndex: logged.index });
        await tx.insertDependencies(name, parsed.version, declaredDependencies({ ...record.manifest, name }));
        if (!current) {
          await tx.addMaintainer(name, actor.user.id);
          await tx.savePackageKey(name, collisionKey(name));
          if (pkg.scope !== null && scopeOwnerId === null) await tx.claimScope(pkg.scope, actor.user.id);
        }
        const distTags = { ...(current?.distTags ?? {}), ...parsed.tags };
        for (const [tag, version] of Object.entries(parsed.tags)) {
          if (current?.distTags[tag] !== version) await recordEvent(tx, { type: 'dist-tag-set', name, tag, version, actor: actor.user.name }, now);
        }
        await rebuildPackageDocuments(tx, name, { now, current, distTags });
      });
    } catch (err) {
      if (!blobExisted && (await store.countBlobReferences(digests.blobKey)) === 0) await blobs.delete(digests.blobKey);
      throw err;
    }
    feed.packageChanged(name);
    return { name, version: parsed.version };
  }

  private async scopeOwner(scope: string | null): Promise<number | null | undefined> {
    if (scope === null) return undefined;
    const claimed = await this.deps.store.findScopeOwner(scope);
    if (claimed !== null) return claimed;
    const namesake = await this.deps.store.findUserByName(scope);
    return namesake ? namesake.id : null;
  }
}
