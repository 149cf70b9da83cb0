import type { Actor } from '../domain/actor.js';
import { RegistryError, isRegistryError } from '../domain/errors.js';
import { isJsonObject } from '../domain/json-object.js';
import type { MetadataStore } from '../domain/ports.js';
import type { UserRecord } from '../domain/records.js';
import { enforce } from '../policy/decision.js';
import { decideAccountWrite } from '../policy/token-scope.js';
import type { Accounts } from './accounts.js';
import { hashPassword } from './password-hashing.js';
import type { PasswordScreening } from './password-screening.js';
import type { SecurityNotices } from './security-notices.js';
import type { Throttle } from './throttle.js';
import type { TotpService } from './totp.js';

/** The profile npm prints (npm-registry-api.md 4.2). Keys this registry does not keep are null. */
export interface NpmProfileView {
  readonly name: string;
  readonly email: string;
  readonly email_verified: boolean;
  readonly tfa: false | { readonly mode: 'auth-and-writes'; readonly pending: boolean };
  readonly fullname: null;
  readonly homepage: null;
  readonly freenode: null;
  readonly twitter: null;
  readonly github: null;
  readonly created: string;
  readonly updated: string;
  readonly cidr_whitelist: null;
}

export interface RequestOrigin {
  readonly ip: string;
  readonly userAgent: string | null;
}

const UNKEPT = ['fullname', 'homepage', 'freenode', 'twitter', 'github'] as const;

/**
 * `npm profile get/set/enable-2fa/disable-2fa` at /-/npm/v1/user. Second factors here are TOTP
 * (security keys and passkeys are added in the web UI); the mode is always auth-and-writes, since
 * the registry asks for the factor on every write anyway (AUTHN-3b). The HTTP route checks the
 * second factor first: turning TOTP off needs a code, turning it on does not (nothing to check yet).
 */
export class NpmProfile {
  constructor(private readonly deps: {
    store: Pick<MetadataStore, 'findUserById' | 'updateUserPassword'>;
    accounts: Pick<Accounts, 'checkPassword'>;
    totp: TotpService;
    hasSecurityKey: (userId: number) => Promise<boolean>;
    /** Whether the address on file was confirmed (by a mailed link, or vouched for by the operator who made the account). */
    emailVerified?: (userId: number) => Promise<boolean>;
    passwords: Pick<PasswordScreening, 'assertAcceptable'>;
    notices: SecurityNotices;
    throttle: Pick<Throttle, 'assertAllowed' | 'recordFailure' | 'recordSuccess'>;
  }) {}

  async get(actor: Actor): Promise<NpmProfileView> {
    return this.view(await this.user(actor));
  }

  async post(actor: Actor, body: unknown, origin: RequestOrigin): Promise<unknown> {
    enforce(decideAccountWrite(actor));
    const user = await this.user(actor);
    if (!isJsonObject(body)) throw new RegistryError('E_BAD_REQUEST', 'The body must be a JSON object.');
    if (body.tfa !== undefined) return this.tfa(user, body.tfa, origin);
    return this.set(user, body, origin);
  }

  private async tfa(user: UserRecord, tfa: unknown, origin: RequestOrigin): Promise<unknown> {
    const facts = { ip: origin.ip, userAgent: origin.userAgent };
    if (Array.isArray(tfa)) {
      // Step 5 of enable-2fa: the first code from the app confirms the secret.
      const code = typeof tfa[0] === 'string' ? tfa[0].trim() : '';
      const { recoveryCodes } = await this.deps.totp.confirmEnrolment(user.id, code);
      await this.deps.notices.notify(user, 'mfa-added', { ...facts, factor: 'authenticator app' }, 'totp-added');
      await this.deps.notices.notify(user, 'recovery-codes-generated', facts, 'recovery-codes-generated');
      return { tfa: recoveryCodes };
    }
    if (!isJsonObject(tfa) || typeof tfa.password !== 'string') throw new RegistryError('E_BAD_REQUEST', 'tfa needs your password and a mode.');
    await this.checkPassword(user, tfa.password, origin);
    const status = await this.deps.totp.status(user.id);
    if (tfa.mode === 'disable') {
      if (status === 'off') return { tfa: false };
      await this.deps.totp.remove(user.id);
      if (status === 'on') await this.deps.notices.notify(user, 'mfa-removed', { ...facts, factor: 'authenticator app' }, 'totp-removed');
      return { tfa: false };
    }
    if (tfa.mode !== 'auth-and-writes' && tfa.mode !== 'auth-only') throw new RegistryError('E_BAD_REQUEST', 'mode must be auth-and-writes, auth-only or disable.');
    // One mode only: writes always need the factor here. Already on: "mode changed" ends npm's flow.
    if (status === 'on') return { tfa: { mode: 'auth-and-writes' } };
    const { uri } = await this.deps.totp.beginEnrolment(user);
    return { tfa: uri };
  }

  private async set(user: UserRecord, body: Record<string, unknown>, origin: RequestOrigin): Promise<NpmProfileView> {
    for (const key of UNKEPT) {
      const value = body[key];
      if (value !== undefined && value !== null && value !== '') {
        throw new RegistryError('E_BAD_REQUEST', `This registry does not keep "${key}" in profiles.`);
      }
    }
    if (typeof body.email === 'string' && body.email !== '' && body.email !== user.email) {
      throw new RegistryError('E_BAD_REQUEST', 'Change your email address on the account security page of the web UI (/-/ui/account/security): the new address is confirmed by a mailed link and both addresses are told.');
    }
    if (body.password !== undefined && body.password !== null) {
      const change = body.password;
      if (!isJsonObject(change) || typeof change.old !== 'string' || typeof change.new !== 'string') {
        throw new RegistryError('E_BAD_REQUEST', 'password must be {"old": "...", "new": "..."}.');
      }
      await this.checkPassword(user, change.old, origin);
      const normalized = await this.deps.passwords.assertAcceptable(change.new, { userName: user.name, email: user.email });
      await this.deps.store.updateUserPassword(user.id, await hashPassword(normalized));
      await this.deps.notices.notify(user, 'password-changed', { ip: origin.ip, userAgent: origin.userAgent }, 'password-changed');
    }
    return this.view(await this.user({ kind: 'user', user, via: 'operator' }));
  }

  /** The password step, behind the brute-force limits (AUTHN-1e). */
  private async checkPassword(user: UserRecord, password: string, origin: RequestOrigin): Promise<void> {
    const subject = { account: user.name, ip: origin.ip, userId: user.id, userAgent: origin.userAgent };
    await this.deps.throttle.assertAllowed('password', subject);
    try {
      await this.deps.accounts.checkPassword(user.name, password);
    } catch (err) {
      if (isRegistryError(err)) await this.deps.throttle.recordFailure('password', subject, { reason: err.code });
      throw err;
    }
    await this.deps.throttle.recordSuccess('password', subject);
  }

  private async user(actor: Actor | { kind: 'user'; user: { id: number } }): Promise<UserRecord> {
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in (npm login).');
    const user = await this.deps.store.findUserById(actor.user.id);
    if (!user) throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in (npm login).');
    return user;
  }

  private async view(user: UserRecord): Promise<NpmProfileView> {
    const totp = await this.deps.totp.status(user.id);
    const key = await this.deps.hasSecurityKey(user.id);
    return {
      name: user.name, email: user.email, email_verified: this.deps.emailVerified ? await this.deps.emailVerified(user.id) : false,
      tfa: totp === 'off' && !key ? false : { mode: 'auth-and-writes', pending: totp === 'pending' && !key },
      fullname: null, homepage: null, freenode: null, twitter: null, github: null,
      created: user.createdAt.toISOString(), updated: user.updatedAt.toISOString(), cidr_whitelist: null,
    };
  }
}
