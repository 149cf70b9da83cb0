import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import { isJsonObject } from '../domain/json-object.js';
import type { OidcVerifier } from '../domain/oidc-verifier.js';
import { parsePackageName } from '../domain/package-name.js';
import type { Clock, MetadataOps, MetadataStore } from '../domain/ports.js';
import type { TrustConfigRecord, TrustPermission, TrustProvider } from '../domain/trusted-publisher.js';
import { enforce } from '../policy/decision.js';
import { decidePackageWrite } from '../policy/publish-authz.js';
import { decideAccountWrite } from '../policy/token-scope.js';
import { matchTrustConfig } from '../policy/trusted-publisher-match.js';
import type { Accounts } from './accounts.js';
import { orgFactsFor } from './org-facts.js';

const MAX_CONFIGS = 20;
const PENDING_DAYS = 30;
const JTI_GRACE_MS = 35_000;
const PERMISSIONS: readonly TrustPermission[] = ['createPackage', 'createStagedPackage'];
const CIRCLECI_KEYS = ['oidc.circleci.com/org-id', 'oidc.circleci.com/project-id', 'oidc.circleci.com/pipeline-definition-id', 'oidc.circleci.com/vcs-origin', 'oidc.circleci.com/context-ids'];
const NAME_PART = /^[A-Za-z0-9_.-]{1,100}$/;
const FILE = /^[A-Za-z0-9_./-]{1,200}\.ya?ml$/;

export interface TrustView {
  readonly id: string;
  readonly type: TrustProvider;
  readonly claims: TrustConfigRecord['claims'];
  readonly permissions: readonly TrustPermission[];
  readonly pending_until?: string;
}

const view = (c: TrustConfigRecord): TrustView => ({
  id: c.id, type: c.type, claims: c.claims, permissions: c.permissions, ...(c.pendingUntil ? { pending_until: c.pendingUntil.toISOString() } : {}),
});

function bad(message: string): never {
  throw new RegistryError('E_BAD_REQUEST', message);
}

function optionalEnvironment(claims: Record<string, unknown>): { environment?: string } {
  if (claims.environment === undefined || claims.environment === null || claims.environment === '') return {};
  if (typeof claims.environment !== 'string' || claims.environment.length > 255) bad('environment must be a name of at most 255 characters.');
  return { environment: claims.environment };
}

function fileOf(value: unknown, what: string): string {
  const file = isJsonObject(value) ? value.file : undefined;
  if (typeof file !== 'string' || !FILE.test(file) || file.includes('..')) bad(`${what}.file must be the workflow file name, e.g. release.yml.`);
  return file;
}

/** The one configuration npm sends (`npm trust github|gitlab|circleci`), validated. */
function parseTrustBody(body: unknown): Pick<TrustConfigRecord, 'type' | 'claims' | 'permissions'> {
  const item = Array.isArray(body) ? body[0] : body;
  if (Array.isArray(body) && body.length !== 1) bad('Send one trust configuration at a time.');
  if (!isJsonObject(item) || !isJsonObject(item.claims)) bad('The body must be [{type, claims, permissions}].');
  const permissions = Array.isArray(item.permissions) ? item.permissions : [];
  if (permissions.length === 0 || !permissions.every((p) => PERMISSIONS.includes(p as TrustPermission))) {
    bad('permissions must list createPackage (--allow-publish) and/or createStagedPackage (--allow-stage-publish).');
  }
  const c = item.claims;
  switch (item.type) {
    case 'github': {
      const [owner, repo, ...rest] = typeof c.repository === 'string' ? c.repository.split('/') : [];
      if (!owner || !repo || rest.length > 0 || !NAME_PART.test(owner) || !NAME_PART.test(repo)) bad('repository must be owner/name.');
      return { type: 'github', claims: { repository: `${owner}/${repo}`, workflow_ref: { file: fileOf(c.workflow_ref, 'workflow_ref') }, ...optionalEnvironment(c) }, permissions: [...new Set(permissions)] as TrustPermission[] };
    }
    case 'gitlab': {
      const path = typeof c.project_path === 'string' ? c.project_path : '';
      if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/.test(path) || path.length > 255) bad('project_path must be group/project.');
      return { type: 'gitlab', claims: { project_path: path, ci_config_ref_uri: { file: fileOf(c.ci_config_ref_uri, 'ci_config_ref_uri') }, ...optionalEnvironment(c) }, permissions: [...new Set(permissions)] as TrustPermission[] };
    }
    case 'circleci': {
      const claims: Record<string, string | string[]> = {};
      for (const [key, value] of Object.entries(c)) {
        if (!CIRCLECI_KEYS.includes(key)) bad(`Unknown CircleCI claim ${key.slice(0, 60)}.`);
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) claims[key] = value as string[];
        else if (typeof value === 'string' && value.length <= 255) claims[key] = value;
        else bad(`${key} must be a string.`);
      }
      for (const key of CIRCLECI_KEYS.slice(0, 3)) if (!claims[key]) bad(`${key} is required.`);
      return { type: 'circleci', claims, permissions: [...new Set(permissions)] as TrustPermission[] };
    }
    default:
      bad('type must be github, gitlab or circleci.');
  }
}

/**
 * AUTHZ-3a: trusted publishing. Owners configure which CI workflow may publish a package
 * (`npm trust`); a workflow exchanges its provider's ID token for a short-lived publish token
 * for that one package. The token's `jti` is recorded before anything is minted, so an ID
 * token is good for one exchange only.
 */
export class TrustedPublishing {
  private exchanges = 0;

  constructor(private readonly deps: {
    store: MetadataStore;
    clock: Clock;
    accounts: Accounts;
    verifier: OidcVerifier;
    tokenMinutes: number;
    /** Tells every maintainer that who may publish from CI changed. */
    notifyOwners?: (name: string, change: string, actorName: string) => Promise<void>;
  }) {}

  /** Who may change a package's trusted publishers: whoever may publish it (or create it, for a pending publisher). */
  private async authorize(ops: MetadataOps, actor: Actor, name: string): Promise<{ exists: boolean }> {
    enforce(decideAccountWrite(actor));
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in.');
    const pkg = parsePackageName(name);
    const exists = (await ops.findPackage(name)) !== null;
    const maintainerIds = exists ? (await ops.listMaintainers(name)).map((m) => m.userId) : null;
    let scopeOwnerId: number | null | undefined;
    if (pkg.scope !== null) scopeOwnerId = (await ops.findScopeOwner(pkg.scope)) ?? (await ops.findUserByName(pkg.scope))?.id ?? null;
    const org = await orgFactsFor(ops, name, actor.user.id);
    enforce(decidePackageWrite({ actor, packageName: name, scope: pkg.scope, maintainerIds, scopeOwnerId, org, now: this.deps.clock.now() }));
    return { exists };
  }

  async list(actor: Actor, name: string): Promise<TrustView[]> {
    await this.authorize(this.deps.store, actor, name);
    return (await this.deps.store.listTrustConfigs(name)).map(view);
  }

  async add(actor: Actor, name: string, body: unknown): Promise<TrustView[]> {
    const parsed = parseTrustBody(body);
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx) => {
      const { exists } = await this.authorize(tx, actor, name);
      const current = await tx.listTrustConfigs(name);
      if (current.length >= MAX_CONFIGS) bad(`A package has at most ${MAX_CONFIGS} trusted publishers.`);
      const record: TrustConfigRecord = {
        id: randomUUID(), packageName: name, ...parsed, pins: {}, createdBy: (actor as Extract<Actor, { kind: 'user' }>).user.id, createdAt: now,
        pendingUntil: exists ? null : new Date(now.getTime() + PENDING_DAYS * 86_400_000),
      };
      await tx.insertTrustConfig(record);
      return [view(record)];
    }).then(async (views) => {
      const where = 'repository' in parsed.claims ? String(parsed.claims.repository) : 'project_path' in parsed.claims ? String(parsed.claims.project_path) : 'a CircleCI project';
      await this.deps.notifyOwners?.(name, `added a ${parsed.type} trusted publisher (${where})`, (actor as Extract<Actor, { kind: 'user' }>).user.name);
      return views;
    });
  }

  async revoke(actor: Actor, name: string, id: string): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      await this.authorize(tx, actor, name);
      if (!(await tx.deleteTrustConfig(name, id))) throw new RegistryError('E_NOT_FOUND', `${name} has no trusted publisher ${id.slice(0, 60)}.`);
    });
    await this.deps.notifyOwners?.(name, `removed the trusted publisher ${id}`, actor.kind === 'user' ? actor.user.name : 'someone');
  }

  /** `POST /-/npm/v1/oidc/token/exchange/package/NAME`: an ID token in, a 15-minute publish token out. */
  async exchange(idToken: string, name: string, registryHost: string): Promise<{ token: string; expires: string }> {
    parsePackageName(name);
    const verified = await this.deps.verifier.verify(idToken, `npm:${registryHost}`);
    const now = this.deps.clock.now();
    const configs = (await this.deps.store.listTrustConfigs(name)).filter((c) => c.type === verified.provider);
    if (configs.length === 0) throw new RegistryError('E_OIDC_NO_MATCH', `${name} has no ${verified.provider} trusted publisher.`);
    const reasons: string[] = [];
    for (const config of configs) {
      const match = matchTrustConfig(config, verified.claims, now);
      if (!match.ok) {
        reasons.push(match.reason);
        continue;
      }
      // Replay protection first, atomically: a second exchange of the same ID token fails here.
      const fresh = await this.deps.store.recordOidcJti(verified.issuer, verified.jti, new Date(verified.expiresAt.getTime() + JTI_GRACE_MS));
      if (!fresh) throw new RegistryError('E_OIDC_REPLAY', 'This ID token was already exchanged; request a new one.');
      if (JSON.stringify(match.pins) !== JSON.stringify(config.pins)) await this.deps.store.updateTrustConfigPins(config.id, match.pins);
      const expiresAt = new Date(now.getTime() + this.deps.tokenMinutes * 60_000);
      const issued = await this.deps.accounts.issueToken(config.createdBy, {
        name: `trusted publisher ${match.publisher.provider}:${match.publisher.repository}`.slice(0, 100),
        packages: [name], orgsPermission: 'none', expiresAt,
        trustedPublisher: config.permissions.includes('createPackage') ? match.publisher : { ...match.publisher, stageOnly: true },
      });
      if (++this.exchanges % 100 === 0) await this.deps.store.deleteExpiredOidcJtis(now);
      return { token: issued.token, expires: expiresAt.toISOString() };
    }
    throw new RegistryError('E_OIDC_NO_MATCH', `No trusted publisher of ${name} matches this ID token: ${reasons.join('; ')}.`);
  }
}
