import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import { isJsonObject } from '../domain/json-object.js';
import { parsePackageName } from '../domain/package-name.js';
import type { BlobStore, Clock, MetadataStore } from '../domain/ports.js';
import type { StageStore, StagedPublishRecord } from '../domain/staged-publish.js';
import { enforce } from '../policy/decision.js';
import { decidePackageWrite } from '../policy/publish-authz.js';
import { orgFactsFor } from './org-facts.js';
import type { PublishVersion } from './publish-version.js';

export interface StageItem {
  readonly id: string;
  readonly packageName: string;
  readonly version: string;
  readonly tag: string;
  readonly createdAt: string;
  readonly actor: string;
  readonly actorType: string;
  readonly shasum: string;
  readonly integrity: string;
  readonly state: StagedPublishRecord['state'];
}

/** Checks the second factor that came with a request (`npm-otp`); throws when missing or wrong. */
export type SecondFactorCheck = (user: { id: number; name: string; email: string }, code: string | undefined, client: { ip: string; userAgent: string }) => Promise<void>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const item = (s: StagedPublishRecord): StageItem => ({
  id: s.id, packageName: s.name, version: s.version, tag: s.tag, createdAt: s.createdAt.toISOString(), actor: s.actorName,
  actorType: s.actorType, shasum: s.shasum, integrity: s.integrity, state: s.state,
});

/**
 * `npm stage` (npm-registry-api.md 5.3): a publish token (or a trusted publisher) stages a
 * version after every publish check; nothing is visible until a maintainer approves it with a
 * second factor, and then the version is published by that approval, checks re-run.
 */
export class StagedPublishing {
  constructor(private readonly deps: {
    store: MetadataStore; stages: StageStore; blobs: BlobStore; publisher: PublishVersion; clock: Clock; checkSecondFactor: SecondFactorCheck;
  }) {}

  async stage(actor: Actor, name: string, body: unknown): Promise<{ stageId: string }> {
    const checked = await this.deps.publisher.preflight(actor, name, body);
    if (actor.kind !== 'user' || !isJsonObject(body)) throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to stage packages.');
    const { parsed, digests } = checked;
    // The tarball waits in the blob store; the body keeps everything but its bytes.
    if ((await this.deps.blobs.head(digests.blobKey)) === null) await this.deps.blobs.put(digests.blobKey, parsed.tarball);
    const attachments = isJsonObject(body._attachments) ? body._attachments : {};
    const slim = { ...body, _attachments: Object.fromEntries(Object.entries(attachments).map(([k, v]) => [k, isJsonObject(v) && k.endsWith('.tgz') ? { ...v, data: '' } : v])) };
    const tp = actor.via === 'token' ? actor.token.trustedPublisher : null;
    const id = randomUUID();
    await this.deps.stages.insert({
      id, name, version: parsed.version, tag: Object.keys(parsed.tags)[0] ?? 'latest', body: JSON.stringify(slim), blobKey: digests.blobKey,
      shasum: digests.shasum, integrity: digests.integrity, createdAt: this.deps.clock.now(), actorId: actor.user.id, actorName: actor.user.name,
      actorType: tp ? `trusted-publisher:${tp.provider}:${tp.repository}` : 'user', state: 'pending', decidedAt: null, decidedBy: null,
    });
    return { stageId: id };
  }

  private async mayWrite(actor: Actor, name: string): Promise<void> {
    const maintainerIds = (await this.deps.store.listMaintainers(name)).map((m) => m.userId);
    const exists = (await this.deps.store.findPackage(name)) !== null;
    const org = await orgFactsFor(this.deps.store, name, actor.kind === 'user' ? actor.user.id : null);
    const pkg = parsePackageName(name);
    const scopeOwnerId = pkg.scope === null ? undefined : await this.deps.store.findScopeOwner(pkg.scope);
    enforce(decidePackageWrite({ actor, packageName: name, scope: pkg.scope, maintainerIds: exists ? maintainerIds : null, scopeOwnerId, org, now: this.deps.clock.now() }));
  }

  private async find(actor: Actor, id: string): Promise<StagedPublishRecord> {
    if (!UUID.test(id)) throw new RegistryError('E_NOT_FOUND', 'Stage ids are UUIDs.');
    const stage = await this.deps.stages.find(id);
    if (!stage) throw new RegistryError('E_NOT_FOUND', `No staged publish ${id}.`);
    await this.mayWrite(actor, stage.name);
    return stage;
  }

  /** Pending stages of the packages the caller may write (`npm stage list`). */
  async list(actor: Actor, packageName: string | null, page: number, perPage: number): Promise<{ items: StageItem[]; total: number }> {
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in.');
    if (packageName !== null) await this.mayWrite(actor, packageName);
    const { items } = await this.deps.stages.listPending(packageName, 0, 10_000);
    const visible: StagedPublishRecord[] = [];
    for (const s of items) {
      try {
        await this.mayWrite(actor, s.name);
        visible.push(s);
      } catch {
        // not the caller's package
      }
    }
    return { items: visible.slice(page * perPage, (page + 1) * perPage).map(item), total: visible.length };
  }

  async view(actor: Actor, id: string): Promise<StageItem> {
    return item(await this.find(actor, id));
  }

  async tarball(actor: Actor, id: string): Promise<Uint8Array> {
    const stage = await this.find(actor, id);
    const data = await this.deps.blobs.get(stage.blobKey);
    if (!data) throw new RegistryError('E_NOT_FOUND', 'The staged tarball is gone.');
    return data;
  }

  /** An owner's approval, with a second factor: the version is published now, every check re-run. */
  async approve(actor: Actor, id: string, otp: string | undefined, client: { ip: string; userAgent: string }): Promise<{ name: string; version: string }> {
    const stage = await this.find(actor, id);
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in.');
    if (stage.state !== 'pending') throw new RegistryError('E_BAD_REQUEST', `This staged publish was already ${stage.state}.`);
    await this.deps.checkSecondFactor(actor.user, otp, client);
    const data = await this.deps.blobs.get(stage.blobKey);
    if (!data) throw new RegistryError('E_NOT_FOUND', 'The staged tarball is gone.');
    const body = JSON.parse(stage.body) as Record<string, unknown>;
    const attachments = body._attachments as Record<string, Record<string, unknown>>;
    for (const [key, value] of Object.entries(attachments)) if (key.endsWith('.tgz')) value.data = Buffer.from(data).toString('base64');
    if (!(await this.deps.stages.decide(id, 'approved', actor.user.name, this.deps.clock.now()))) {
      throw new RegistryError('E_BAD_REQUEST', 'This staged publish was decided meanwhile.');
    }
    return this.deps.publisher.publish(actor, stage.name, body, undefined, { viaStage: true });
  }

  async reject(actor: Actor, id: string, otp: string | undefined, client: { ip: string; userAgent: string }): Promise<void> {
    const stage = await this.find(actor, id);
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in.');
    if (stage.state !== 'pending') throw new RegistryError('E_BAD_REQUEST', `This staged publish was already ${stage.state}.`);
    await this.deps.checkSecondFactor(actor.user, otp, client);
    await this.deps.stages.decide(id, 'rejected', actor.user.name, this.deps.clock.now());
  }
}
