import { randomUUID } from 'node:crypto';
import type { Actor, TokenGrant, UserIdentity } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import type { Clock, MetadataStore } from '../domain/ports.js';
import type { TokenRecord, UserRecord } from '../domain/records.js';
import type { TrustedPublisher } from '../domain/trusted-publisher.js';
import { displayToken, generateToken, hashToken, isWellFormedToken } from '../domain/token-format.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hashing.js';
import { enforce } from '../policy/decision.js';
import { isPackagePattern, parseCidr } from '../domain/token-grant.js';
import { decideTokenSource } from '../policy/token-scope.js';

export interface NewTokenOptions {
  readonly name?: string | null;
  readonly readOnly?: boolean;
  readonly packages?: readonly string[];
  readonly scopes?: readonly string[];
  readonly cidrs?: readonly string[];
  readonly expiresAt?: Date | null;
  readonly orgs?: readonly string[];
  /** Default read-write: a full token (npm login, operator-made) may manage the account. */
  readonly orgsPermission?: TokenRecord['orgsPermission'];
  readonly bypass2fa?: boolean;
  readonly description?: string | null;
  readonly trustedPublisher?: TrustedPublisher | null;
}

const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,213}$/;
const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;
/** How long an authenticated token stays in memory before it is looked up again. */
const TOKEN_CACHE_MS = 30_000;
const TOKEN_CACHE_MAX = 10_000;

interface CachedGrant {
  readonly actor: Actor;
  readonly until: number;
}

function identity(user: UserRecord): UserIdentity {
  return { id: user.id, name: user.name, email: user.email, isAdmin: user.isAdmin };
}

function grantOf(token: TokenRecord): TokenGrant {
  return {
    id: token.id, readOnly: token.readOnly, packages: token.packages, scopes: token.scopes, expiresAt: token.expiresAt,
    orgs: token.orgs, orgsPermission: token.orgsPermission, cidrs: token.cidrs, bypass2fa: token.bypass2fa,
    trustedPublisher: token.trustedPublisher ?? null,
  };
}

/**
 * Users, passwords and tokens. A request's token is checked with one SHA-256 and a hash lookup
 * (cached), never a password hash per request. Revocation drops the cache entry at once.
 */
export class Accounts {
  private readonly tokenCache = new Map<string, CachedGrant>();

  constructor(private readonly deps: { store: MetadataStore; clock: Clock; registration: 'open' | 'closed' }) {}

  validateEmail(email: string): void {
    if (!EMAIL.test(email) || email.length > 254) throw new RegistryError('E_BAD_REQUEST', `"${email.slice(0, 60)}" is not an email address.`);
  }

  validateUserName(name: string): void {
    if (!USER_NAME.test(name) || encodeURIComponent(name) !== name) {
      throw new RegistryError('E_BAD_REQUEST', 'User names are 1-214 characters of lower-case letters, digits, ".", "_" and "-", starting with a letter or digit.');
    }
  }

  /** Operator bootstrap (`bulwark admin user add`) and open registration. */
  async createUser(input: { name: string; email: string; password: string | null; isAdmin: boolean }): Promise<UserRecord> {
    this.validateUserName(input.name);
    this.validateEmail(input.email);
    if (input.password !== null && input.password.length < 10) throw new RegistryError('E_BAD_REQUEST', 'Passwords must be at least 10 characters long.');
    const passwordHash = input.password === null ? null : await hashPassword(input.password);
    return this.deps.store.insertUser({ name: input.name, email: input.email, passwordHash, isAdmin: input.isAdmin });
  }

  /** Self-service sign-up through `npm adduser`; closed unless the operator opened it. */
  async register(input: { name: string; email: string; password: string }): Promise<UserRecord> {
    if (this.deps.registration !== 'open') {
      throw new RegistryError('E_REGISTRATION_CLOSED', 'Registration is closed on this registry; ask an operator for an account.');
    }
    return this.createUser({ ...input, isAdmin: false });
  }

  /** Web sign-up is not offered yet; the refusal says why, and npm then tries the couch flow. */
  assertWebSignupAvailable(): never {
    if (this.deps.registration !== 'open') {
      throw new RegistryError('E_REGISTRATION_CLOSED', 'Registration is closed on this registry; ask an operator for an account.');
    }
    throw new RegistryError('E_NOT_FOUND', 'Web sign-up is not offered; npm falls back to "npm adduser --auth-type=legacy".');
  }

  /** Checks a password in constant work whether or not the user exists. */
  async checkPassword(name: string, password: string): Promise<UserRecord> {
    const user = await this.deps.store.findUserByName(name);
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !user.passwordHash || !ok) throw new RegistryError('E_BAD_CREDENTIALS', 'Incorrect user name or password.');
    return user;
  }

  async passwordActor(name: string, password: string): Promise<Actor> {
    const user = await this.checkPassword(name, password);
    return { kind: 'user', user: identity(user), via: 'password' };
  }

  async issueToken(userId: number, options: NewTokenOptions = {}): Promise<{ token: string; record: TokenRecord }> {
    const badCidr = (options.cidrs ?? []).find((c) => parseCidr(c) === null);
    if (badCidr !== undefined) throw new RegistryError('E_BAD_REQUEST', `"${badCidr.slice(0, 60)}" is not a CIDR range.`);
    const badPattern = (options.packages ?? []).find((p) => !isPackagePattern(p));
    if (badPattern !== undefined) throw new RegistryError('E_BAD_REQUEST', `"${badPattern.slice(0, 60)}" is not a package name or pattern.`);
    const token = generateToken();
    const record: TokenRecord = {
      id: randomUUID(), userId, hash: hashToken(token), display: displayToken(token), name: options.name ?? null,
      readOnly: options.readOnly ?? false, packages: options.packages ?? [], scopes: options.scopes ?? [],
      cidrs: options.cidrs ?? [], expiresAt: options.expiresAt ?? null, createdAt: this.deps.clock.now(), revokedAt: null,
      orgs: options.orgs ?? [], orgsPermission: options.orgsPermission ?? 'read-write', bypass2fa: options.bypass2fa ?? false,
      description: options.description ?? null, lastUsedAt: null, trustedPublisher: options.trustedPublisher ?? null,
    };
    await this.deps.store.insertToken(record);
    return { token, record };
  }

  /** A recently authenticated token's actor without waiting, or undefined (then call authenticateToken). */
  peekToken(token: string, ip?: string): Actor | undefined {
    const cached = this.tokenCache.get(token);
    if (!cached) return undefined;
    const now = this.deps.clock.now().getTime();
    return cached.until > now ? this.checkSource(this.checkExpiry(cached.actor, now), ip) : undefined;
  }

  private checkSource(actor: Actor, ip: string | undefined): Actor {
    if (actor.kind === 'user' && actor.via === 'token') enforce(decideTokenSource(actor.token, ip));
    return actor;
  }

  /** The actor behind a bearer token; throws E_TOKEN_INVALID for anything but a live token. */
  async authenticateToken(token: string, ip?: string): Promise<Actor> {
    const cached = this.peekToken(token, ip);
    if (cached) return cached;
    const now = this.deps.clock.now().getTime();
    if (!isWellFormedToken(token)) throw new RegistryError('E_TOKEN_INVALID', 'The token is not a Bulwark token.');
    const hash = hashToken(token);
    const record = await this.deps.store.findTokenByHash(hash);
    if (!record || record.revokedAt) throw new RegistryError('E_TOKEN_INVALID', 'The token is unknown or was revoked.');
    const user = await this.deps.store.findUserById(record.userId);
    if (!user) throw new RegistryError('E_TOKEN_INVALID', 'The token belongs to no user.');
    const actor: Actor = { kind: 'user', user: identity(user), via: 'token', token: grantOf(record) };
    this.checkSource(this.checkExpiry(actor, now), ip);
    if (!record.lastUsedAt || now - record.lastUsedAt.getTime() >= 60_000) {
      // Shown to the owner; never worth failing or slowing the request for.
      this.deps.store.touchToken(record.id, new Date(now)).catch(() => undefined);
    }
    if (this.tokenCache.size >= TOKEN_CACHE_MAX) this.tokenCache.clear();
    this.tokenCache.set(token, { actor, until: now + TOKEN_CACHE_MS });
    return actor;
  }

  private checkExpiry(actor: Actor, now: number): Actor {
    if (actor.kind === 'user' && actor.via === 'token' && actor.token.expiresAt && actor.token.expiresAt.getTime() <= now) {
      throw new RegistryError('E_TOKEN_INVALID', 'The token has expired.');
    }
    return actor;
  }

  /** `npm logout`: the token revokes itself. */
  async revokePresentedToken(token: string): Promise<void> {
    const record = isWellFormedToken(token) ? await this.deps.store.findTokenByHash(hashToken(token)) : null;
    if (!record || record.revokedAt) throw new RegistryError('E_TOKEN_INVALID', 'The token is unknown or was revoked.');
    await this.deps.store.revokeToken(record.id, this.deps.clock.now());
    this.forgetCachedToken(record.id);
  }

  listTokens(userId: number): Promise<TokenRecord[]> {
    return this.deps.store.listTokens(userId);
  }

  /** AUTHZ-3b: revokes a live token found in public; null when it is no live token of ours. */
  async revokeLeakedToken(token: string): Promise<TokenRecord | null> {
    if (!isWellFormedToken(token)) return null;
    const record = await this.deps.store.findTokenByHash(hashToken(token));
    if (!record || record.revokedAt) return null;
    if (!(await this.deps.store.revokeToken(record.id, this.deps.clock.now()))) return null;
    this.forgetCachedToken(record.id);
    return record;
  }

  /** The user's live token whose secret this is, or null. */
  async findOwnTokenBySecret(userId: number, token: string): Promise<TokenRecord | null> {
    if (!isWellFormedToken(token)) return null;
    const record = await this.deps.store.findTokenByHash(hashToken(token));
    return record && record.userId === userId && !record.revokedAt ? record : null;
  }

  /** Revokes one of the user's own tokens; false when it has no live token with that id. */
  async revokeOwnToken(userId: number, tokenId: string): Promise<boolean> {
    const token = (await this.deps.store.listTokens(userId)).find((t) => t.id === tokenId && !t.revokedAt);
    if (!token) return false;
    await this.deps.store.revokeToken(token.id, this.deps.clock.now());
    this.forgetCachedToken(token.id);
    return true;
  }

  /** Drops tokens revoked elsewhere (another node, the admin CLI) from this process's cache. */
  forgetRevokedTokens(tokenIds: readonly string[]): void {
    if (tokenIds.length === 0 || this.tokenCache.size === 0) return;
    const revoked = new Set(tokenIds);
    for (const [key, value] of this.tokenCache) {
      if (value.actor.kind === 'user' && value.actor.via === 'token' && revoked.has(value.actor.token.id)) this.tokenCache.delete(key);
    }
  }

  private forgetCachedToken(tokenId: string): void {
    for (const [key, value] of this.tokenCache) {
      if (value.actor.kind === 'user' && value.actor.via === 'token' && value.actor.token.id === tokenId) this.tokenCache.delete(key);
    }
  }

  async userExists(name: string): Promise<boolean> {
    return (await this.deps.store.findUserByName(name)) !== null;
  }

  async findUser(name: string): Promise<UserRecord> {
    const user = await this.deps.store.findUserByName(name);
    if (!user) throw new RegistryError('E_USER_NOT_FOUND', `No user named "${name.slice(0, 80)}".`);
    return user;
  }
}
