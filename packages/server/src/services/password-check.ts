import { isRegistryError } from '../domain/errors.js';
import type { Actor } from '../domain/actor.js';
import type { UserRecord } from '../domain/records.js';
import type { Accounts } from './accounts.js';
import type { Throttle } from './throttle.js';

/** Where a password attempt comes from (for the throttle and the security log). */
export interface PasswordClient {
  readonly ip: string;
  readonly userAgent?: string | null;
}

/**
 * AUTHN-1e: every password check behind the brute-force throttle. Locked: E_RATE_LIMITED (429,
 * Retry-After) before the password is looked at. A wrong password and an unknown account fail the
 * same way (E_BAD_CREDENTIALS) and count the same; the account is looked up only to file the
 * failure in its owner's security log.
 */
export class PasswordCheck {
  constructor(private readonly deps: { accounts: Accounts; throttle: Throttle }) {}

  async check(name: string, password: string, client: PasswordClient): Promise<UserRecord> {
    const subject = { account: name, ip: client.ip, userAgent: client.userAgent ?? null };
    await this.deps.throttle.assertAllowed('password', subject);
    try {
      const user = await this.deps.accounts.checkPassword(name, password);
      await this.deps.throttle.recordSuccess('password', subject);
      return user;
    } catch (err) {
      if (isRegistryError(err) && err.code === 'E_BAD_CREDENTIALS') {
        const userId = await this.deps.accounts.findUser(name).then((u) => u.id, () => null);
        await this.deps.throttle.recordFailure('password', { ...subject, userId });
      }
      throw err;
    }
  }

  async actor(name: string, password: string, client: PasswordClient): Promise<Actor> {
    const user = await this.check(name, password, client);
    return { kind: 'user', user: { id: user.id, name: user.name, email: user.email, isAdmin: user.isAdmin }, via: 'password' };
  }
}
