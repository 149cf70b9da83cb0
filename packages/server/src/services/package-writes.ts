import { isJsonObject } from '../domain/json-object.js';
import semver from 'semver';
import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import { parsePackageName, printable } from '../domain/package-name.js';
import { revString } from '../domain/packument.js';
import type { Clock, MetadataOps, MetadataStore } from '../domain/ports.js';
import type { PackageRecord } from '../domain/records.js';
import { decidePackageWrite } from '../policy/publish-authz.js';
import { decideOrgPeopleChange } from '../policy/org-roles.js';
import { orgFactsFor } from './org-facts.js';
import { decideAccountWrite } from '../policy/token-scope.js';
import { enforce } from '../policy/decision.js';
import type { ChangeFeed } from './change-feed.js';
import { rebuildPackageDocuments } from './package-documents.js';
import { isValidTag } from './publish-version.js';
import { recordEvent } from './transparency-log.js';
import type { Unpublisher } from './unpublish.js';

/** Bounds the maintainer list (and so each log entry about it, which must fit a C2SP entry bundle). */
const MAX_MAINTAINERS = 100;

function actorName(actor: Actor): string {
  if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to change packages.');
  return actor.user.name;
}


/**
 * Changes to an existing package other than publishing: dist-tags, deprecation, maintainers,
 * stars. Each runs in one transaction, checks the actor against the locked row, and rewrites
 * the precomputed documents.
 */
export class PackageWrites {
  constructor(private readonly deps: { store: MetadataStore; clock: Clock; feed: ChangeFeed; unpublisher: Unpublisher }) {}

  private async change(
    name: string,
    fn: (tx: MetadataOps, current: PackageRecord, now: Date) => Promise<Record<string, string> | void>,
  ): Promise<PackageRecord> {
    parsePackageName(name);
    const now = this.deps.clock.now();
    const record = await this.deps.store.transaction(async (tx) => {
      const current = await tx.findPackageForUpdate(name);
      if (!current) throw new RegistryError('E_PKG_NOT_FOUND', `Package ${name} not found.`);
      const distTags = (await fn(tx, current, now)) ?? current.distTags;
      return rebuildPackageDocuments(tx, name, { now, current, distTags: { ...distTags } });
    });
    this.deps.feed.packageChanged(name);
    return record;
  }

  private async requireMaintainer(tx: MetadataOps, actor: Actor, name: string, now: Date): Promise<void> {
    const maintainerIds = (await tx.listMaintainers(name)).map((m) => m.userId);
    const org = await orgFactsFor(tx, name, actor.kind === 'user' ? actor.user.id : null);
    enforce(decidePackageWrite({ actor, packageName: name, scope: parsePackageName(name).scope, maintainerIds, scopeOwnerId: undefined, org, now }));
  }

  private static checkRev(current: PackageRecord, rev: string | undefined): void {
    if (rev !== undefined && rev !== revString(current.name, current.rev)) {
      throw new RegistryError('E_REV_CONFLICT', `Document update conflict: ${current.name} is at revision ${revString(current.name, current.rev)}, not ${printable(rev)}.`);
    }
  }

  async setDistTag(actor: Actor, name: string, tag: string, version: unknown): Promise<void> {
    if (!isValidTag(tag)) throw new RegistryError('E_BAD_REQUEST', `"${printable(tag)}" is not a valid dist-tag: tags must not look like versions or ranges.`);
    if (typeof version !== 'string' || semver.valid(version) !== version) throw new RegistryError('E_INVALID_VERSION', 'The request body must be a JSON string holding a version.');
    await this.change(name, async (tx, current, now) => {
      await this.requireMaintainer(tx, actor, name, now);
      if (!(await tx.findVersion(name, version))) throw new RegistryError('E_VERSION_NOT_FOUND', `${name}@${version} does not exist.`);
      if (current.distTags[tag] !== version) await recordEvent(tx, { type: 'dist-tag-set', name, tag, version, actor: actorName(actor) }, now);
      return { ...current.distTags, [tag]: version };
    });
  }

  async removeDistTag(actor: Actor, name: string, tag: string): Promise<void> {
    if (tag === 'latest') throw new RegistryError('E_BAD_REQUEST', 'The latest tag cannot be removed; point it at another version instead.');
    await this.change(name, async (tx, current, now) => {
      await this.requireMaintainer(tx, actor, name, now);
      if (!(tag in current.distTags)) throw new RegistryError('E_NOT_FOUND', `${name} has no dist-tag "${printable(tag)}".`);
      const next = { ...current.distTags };
      delete next[tag];
      await recordEvent(tx, { type: 'dist-tag-removed', name, tag, actor: actorName(actor) }, now);
      return next;
    });
  }

  /**
   * `PUT /{name}` without attachments, and `PUT /{name}/-rev/{rev}`: npm's deprecate, star and
   * owner commands send the (partial) document back. Each kind of change is checked on its own.
   * A document without some stored versions is `npm unpublish name@version` (GEN-2a): those
   * versions go through the unpublish policy, and nothing else in the document is applied.
   */
  async updateDocument(actor: Actor, name: string, body: unknown, rev: string | undefined, policyUrl = '/-/bulwark/policies/unpublish'): Promise<void> {
    if (!isJsonObject(body)) throw new RegistryError('E_BAD_REQUEST', 'The document must be a JSON object.');
    if (body._id !== undefined && body._id !== name) throw new RegistryError('E_BAD_REQUEST', 'The document _id does not match the URL.');
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to change packages.');
    const user = actor.user;
    const sentRev = rev ?? (typeof body._rev === 'string' ? body._rev : undefined);
    if (isJsonObject(body.versions)) {
      const sentVersions = body.versions;
      const missing = (await this.deps.store.listVersions(name)).filter((v) => !(v.version in sentVersions)).map((v) => v.version);
      // The unpublisher re-reads the versions under the lock and checks the revision.
      if (missing.length > 0) return this.deps.unpublisher.removeVersions(actor, name, missing, sentRev, policyUrl);
    }
    await this.change(name, async (tx, current, now) => {
      PackageWrites.checkRev(current, sentRev);
      let distTags = current.distTags;
      if (body.versions !== undefined) {
        if (!isJsonObject(body.versions)) throw new RegistryError('E_BAD_REQUEST', 'versions must be an object.');
        const stored = await tx.listVersions(name);
        if (stored.some((v) => !(v.version in (body.versions as Record<string, unknown>)))) {
          throw new RegistryError('E_REV_CONFLICT', `Document update conflict: ${name} changed while the document was being written; fetch it again.`);
        }
        const changes = stored.flatMap((v) => {
          const sent = (body.versions as Record<string, unknown>)[v.version];
          const raw = isJsonObject(sent) ? sent.deprecated : undefined;
          const wanted = typeof raw === 'string' && raw !== '' ? raw : null;
          return wanted === v.deprecated ? [] : [{ version: v.version, wanted }];
        });
        if (changes.length > 0) {
          await this.requireMaintainer(tx, actor, name, now);
          for (const c of changes) {
            if (c.wanted !== null && c.wanted.length > 1024) throw new RegistryError('E_BAD_REQUEST', 'Deprecation messages are at most 1024 characters.');
            await tx.setDeprecated(name, c.version, c.wanted);
            await recordEvent(tx, { type: 'version-deprecated', name, version: c.version, message: c.wanted, actor: user.name }, now);
          }
        }
      }
      if (body.users !== undefined) {
        if (!isJsonObject(body.users)) throw new RegistryError('E_BAD_REQUEST', 'users must be an object.');
        enforce(decideAccountWrite(actor));
        // A user may only star or unstar for themselves; other keys are left as stored.
        await tx.setStar(name, user.id, body.users[user.name] === true);
      }
      if (body.maintainers !== undefined) {
        await this.replaceMaintainers(tx, actor, name, body.maintainers, now);
      }
      if (body['dist-tags'] !== undefined && isJsonObject(body['dist-tags'])) {
        const sent = body['dist-tags'] as Record<string, unknown>;
        const same = Object.keys(sent).length === Object.keys(current.distTags).length && Object.entries(current.distTags).every(([t, v]) => sent[t] === v);
        if (!same) throw new RegistryError('E_BAD_REQUEST', 'Change dist-tags with "npm dist-tag", not by rewriting the document.');
      }
      return distTags;
    });
  }

  private async replaceMaintainers(tx: MetadataOps, actor: Actor, name: string, raw: unknown, now: Date): Promise<void> {
    if (!Array.isArray(raw)) throw new RegistryError('E_BAD_REQUEST', 'maintainers must be an array.');
    if (raw.length > MAX_MAINTAINERS) throw new RegistryError('E_BAD_REQUEST', `A package has at most ${MAX_MAINTAINERS} maintainers.`);
    const wantedNames = new Set<string>();
    for (const entry of raw) {
      const entryName = isJsonObject(entry) ? entry.name : undefined;
      if (typeof entryName !== 'string') throw new RegistryError('E_BAD_REQUEST', 'Each maintainer needs a name.');
      wantedNames.add(entryName);
    }
    const current = await tx.listMaintainers(name);
    const currentNames = new Set(current.map((m) => m.name));
    const added = [...wantedNames].filter((n) => !currentNames.has(n));
    const removed = current.filter((m) => !wantedNames.has(m.name));
    if (added.length === 0 && removed.length === 0) return;
    const org = await orgFactsFor(tx, name, actor.kind === 'user' ? actor.user.id : null);
    const addedUsers = [];
    for (const newName of added) {
      const user = await tx.findUserByName(newName);
      if (!user) throw new RegistryError('E_USER_NOT_FOUND', `No user named "${printable(newName)}".`);
      addedUsers.push(user);
    }
    if (org) {
      // In an org, who may publish is people management: owners and admins decide, not publishers (AUTHZ-2a).
      enforce(decideOrgPeopleChange(actor, org, { kind: 'package-maintainers', targetUserIds: addedUsers.map((u) => u.id) }));
    } else {
      await this.requireMaintainer(tx, actor, name, now);
      enforce(decideAccountWrite(actor));
    }
    if (wantedNames.size === 0) throw new RegistryError('E_BAD_REQUEST', 'A package must keep at least one maintainer.');
    for (const user of addedUsers) await tx.addMaintainer(name, user.id);
    for (const m of removed) await tx.removeMaintainer(name, m.userId);
    await recordEvent(tx, { type: 'maintainers-changed', name, added, removed: removed.map((m) => m.name), actor: actorName(actor) }, now);
  }
}
