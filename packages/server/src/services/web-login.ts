import { randomBytes, randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { RegistryError } from '../domain/errors.js';
import type { Clock, MetadataStore } from '../domain/ports.js';
import type { Accounts } from './accounts.js';
import type { PasswordCheck, PasswordClient } from './password-check.js';

const LOGIN_TTL_MS = 10 * 60 * 1000;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * npm's web login (npm-registry-api.md 3.1): the CLI gets a login URL for the browser and a
 * done URL to poll. The token is minted only when the completed login is collected, once; the
 * done URL carries a secret stored as a hash, so seeing the database does not let anyone poll.
 */
export class WebLogin {
  constructor(private readonly deps: { store: MetadataStore; clock: Clock; accounts: Accounts; passwords: PasswordCheck }) {}

  async start(): Promise<{ id: string; doneSecret: string }> {
    const now = this.deps.clock.now();
    const id = randomUUID();
    const doneSecret = randomBytes(24).toString('base64url');
    await this.deps.store.insertWebLogin({
      id, doneSecretHash: sha256(doneSecret), userId: null, createdAt: now, expiresAt: new Date(now.getTime() + LOGIN_TTL_MS), consumedAt: null,
    });
    return { id, doneSecret };
  }

  private async live(id: string) {
    const login = await this.deps.store.findWebLogin(id);
    if (!login || login.consumedAt || login.expiresAt.getTime() <= this.deps.clock.now().getTime()) {
      throw new RegistryError('E_NOT_FOUND', 'This login request is unknown, expired or already used; run npm login again.');
    }
    return login;
  }

  async exists(id: string): Promise<boolean> {
    try {
      await this.live(id);
      return true;
    } catch {
      return false;
    }
  }

  /** The browser half: the user signs in with the registry's credentials. */
  async complete(id: string, name: string, password: string, client: PasswordClient): Promise<void> {
    await this.live(id);
    // AUTHN-1e: throttled like every password check.
    const user = await this.deps.passwords.check(name, password, client);
    await this.deps.store.completeWebLogin(id, user.id);
  }

  /** The browser half for a user who signed in on the web (password and second factor, or passkey). */
  async completeForUser(id: string, userId: number): Promise<void> {
    await this.live(id);
    await this.deps.store.completeWebLogin(id, userId);
  }

  /** The CLI half: null while pending; the token once, when the login is complete. */
  async poll(id: string, doneSecret: string): Promise<string | null> {
    const login = await this.live(id);
    const given = Buffer.from(sha256(doneSecret));
    if (!timingSafeEqual(given, Buffer.from(login.doneSecretHash))) throw new RegistryError('E_NOT_FOUND', 'This login request is unknown.');
    if (login.userId === null) return null;
    if (!(await this.deps.store.consumeWebLogin(id, this.deps.clock.now()))) throw new RegistryError('E_NOT_FOUND', 'This login was already collected.');
    const { token } = await this.deps.accounts.issueToken(login.userId, { name: 'npm login (web)' });
    return token;
  }
}
