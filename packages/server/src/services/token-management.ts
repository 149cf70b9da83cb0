import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import { isJsonObject } from '../domain/json-object.js';
import type { Clock } from '../domain/ports.js';
import type { TokenRecord } from '../domain/records.js';
import { isPackagePattern, parseCidr } from '../domain/token-grant.js';
import { enforce } from '../policy/decision.js';
import { decideAccountWrite } from '../policy/token-scope.js';
import type { Accounts, NewTokenOptions } from './accounts.js';
import type { SecurityNotices } from './security-notices.js';

/** Where a creation came from, and whether a second factor was checked for it. */
export interface TokenCreationContext {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly secondFactor: boolean;
}

const MAX_LIST = 100;
const MAX_EXPIRY_DAYS = 365;

export interface TokenView {
  readonly key: string;
  readonly token: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly created: string;
  readonly updated: string;
  readonly readonly: boolean;
  readonly cidr_whitelist: readonly string[] | null;
  readonly expires: string | null;
  readonly packages: readonly string[];
  readonly scopes: readonly string[];
  readonly orgs: readonly string[];
  readonly orgs_permission: string;
  readonly bypass_2fa: boolean;
  readonly last_used: string | null;
}

function view(t: TokenRecord): TokenView {
  return {
    key: t.id, token: t.display, name: t.name, description: t.description, created: t.createdAt.toISOString(),
    updated: (t.lastUsedAt ?? t.createdAt).toISOString(), readonly: t.readOnly, cidr_whitelist: t.cidrs.length ? t.cidrs : null,
    expires: t.expiresAt?.toISOString() ?? null, packages: t.packages, scopes: t.scopes, orgs: t.orgs, orgs_permission: t.orgsPermission,
    bypass_2fa: t.bypass2fa, last_used: t.lastUsedAt?.toISOString() ?? null,
  };
}

function stringList(body: Record<string, unknown>, key: string, check: (s: string) => boolean, what: string): string[] {
  const raw = body[key];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 100) throw new RegistryError('E_BAD_REQUEST', `${key} must be a list of at most 100 ${what}.`);
  return raw.map((v) => {
    if (typeof v !== 'string' || !check(v)) throw new RegistryError('E_BAD_REQUEST', `${JSON.stringify(v).slice(0, 80)} is not a valid ${what.replace(/s$/, '')}.`);
    return v;
  });
}

/**
 * `npm token create/list/revoke` (npm-registry-api.md 4.1; AUTHZ-1a, 1b). Creating a token asks
 * for the password again, whatever credential the request carries, and a token can never be
 * wider than what its creator may do.
 */
export class TokenManagement {
  constructor(private readonly deps: { accounts: Accounts; clock: Clock; notices?: SecurityNotices }) {}

  async list(actor: Actor): Promise<TokenView[]> {
    enforce(decideAccountWrite(actor));
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in.');
    const tokens = await this.deps.accounts.listTokens(actor.user.id);
    return tokens.filter((t) => !t.revokedAt).slice(0, MAX_LIST).map(view);
  }

  /**
   * The HTTP route checks the second factor first (AUTHN-3b); an automation token (bypass_2fa)
   * needs one whatever the mode. The owner is mailed and the creation logged (AUTHN-1d).
   */
  async create(actor: Actor, raw: unknown, context: TokenCreationContext = { ip: null, userAgent: null, secondFactor: false }): Promise<TokenView & { token: string }> {
    enforce(decideAccountWrite(actor));
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in.');
    if (!isJsonObject(raw)) throw new RegistryError('E_BAD_REQUEST', 'The body must be a JSON object.');
    if (typeof raw.password !== 'string' || raw.password === '') throw new RegistryError('E_BAD_REQUEST', 'Creating a token needs your password.');
    const user = await this.deps.accounts.checkPassword(actor.user.name, raw.password);
    const options = this.parseOptions(raw);
    if (raw.bypass_2fa === true) {
      // Automation tokens skip the per-request OTP: only an owner with MFA who confirmed this creation with it may mint one.
      if (!context.secondFactor) {
        throw new RegistryError('E_MFA_REQUIRED', 'A token that bypasses two-factor authentication needs two-factor authentication on your account and a one-time code with this request (npm token create --bypass-2fa --otp=<code>).');
      }
    }
    const issued = await this.deps.accounts.issueToken(user.id, { ...options, bypass2fa: raw.bypass_2fa === true });
    await this.deps.notices?.notify(user, 'token-created', { ip: context.ip, userAgent: context.userAgent, tokenName: issued.record.name ?? undefined, tokenDisplay: issued.record.display },
      'token-created', { id: issued.record.id, bypass2fa: raw.bypass_2fa === true });
    return { ...view(issued.record), token: issued.token };
  }

  private parseOptions(body: Record<string, unknown>): NewTokenOptions {
    const packages = stringList(body, 'packages', isPackagePattern, 'package names or patterns');
    const scopes = stringList(body, 'scopes', (s) => /^@[a-z0-9][a-z0-9._~-]*$/.test(s), 'scopes (like @acme)');
    const orgs = stringList(body, 'orgs', (s) => /^@?[a-z0-9][a-z0-9._~-]*$/.test(s), 'organization names').map((o) => o.replace(/^@/, ''));
    const cidrs = stringList(body, 'cidr_whitelist', (s) => parseCidr(s) !== null, 'CIDR ranges');
    const permission = body.packages_and_scopes_permission;
    if (permission !== undefined && permission !== 'read-only' && permission !== 'read-write') {
      throw new RegistryError('E_BAD_REQUEST', 'packages_and_scopes_permission must be read-only or read-write.');
    }
    const orgsPermission = body.orgs_permission ?? (orgs.length > 0 ? 'read-only' : 'none');
    if (orgsPermission !== 'none' && orgsPermission !== 'no-access' && orgsPermission !== 'read-only' && orgsPermission !== 'read-write') {
      throw new RegistryError('E_BAD_REQUEST', 'orgs_permission must be no-access, read-only or read-write.');
    }
    let expiresAt: Date | null = null;
    if (body.expires !== undefined && body.expires !== null) {
      const days = Number(body.expires);
      if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS) throw new RegistryError('E_BAD_REQUEST', `expires must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}.`);
      expiresAt = new Date(this.deps.clock.now().getTime() + days * 86_400_000);
    }
    const legacy = body.readonly === true;
    // A granular token (it names packages, scopes, orgs or a permission) manages nothing unless
    // it says so; npm's legacy body makes a full token, as npm login does.
    const granular = packages.length > 0 || scopes.length > 0 || orgs.length > 0 || permission !== undefined;
    return {
      name: typeof body.name === 'string' ? body.name.slice(0, 100) : null,
      description: typeof body.description === 'string' ? body.description.slice(0, 500) : null,
      readOnly: legacy || permission === 'read-only',
      packages, scopes, cidrs, expiresAt, orgs,
      orgsPermission: !granular ? 'read-write' : orgsPermission === 'no-access' ? 'none' : orgsPermission,
    };
  }

  /** `npm token revoke KEY|TOKEN`: the caller's own tokens only. */
  async revoke(actor: Actor, keyOrToken: string): Promise<void> {
    enforce(decideAccountWrite(actor));
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in.');
    const tokens = (await this.deps.accounts.listTokens(actor.user.id)).filter((t) => !t.revokedAt);
    const byKey = tokens.find((t) => t.id === keyOrToken);
    const target = byKey ?? (await this.deps.accounts.findOwnTokenBySecret(actor.user.id, keyOrToken));
    if (!target || !(await this.deps.accounts.revokeOwnToken(actor.user.id, target.id))) {
      throw new RegistryError('E_NOT_FOUND', 'You have no live token with that id.');
    }
  }
}
