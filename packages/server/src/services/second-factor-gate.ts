import { isRegistryError } from '../domain/errors.js';
import type { SecurityNotices } from './security-notices.js';
import type { SecurityEvents } from './security-events.js';
import type { Throttle } from './throttle.js';
import type { TotpService } from './totp.js';

export interface AttemptContext {
  readonly ip: string;
  readonly userAgent?: string | null;
}

/**
 * The second-factor step of a sign-in or a write (AUTHN-1c + 1e): asks the throttle first, so a
 * locked step refuses even the right code; counts every wrong, replayed or out-of-sync code; and
 * clears the account's counter on success. Recovery codes go through the same limiter and send
 * mail when used.
 */
export class SecondFactorGate {
  constructor(private readonly deps: { throttle: Throttle; totp: TotpService; events: SecurityEvents; notices?: SecurityNotices }) {}

  async checkTotp(user: { id: number; name: string }, code: string, context: AttemptContext): Promise<void> {
    const subject = { account: user.name, ip: context.ip, userId: user.id, userAgent: context.userAgent ?? null };
    await this.deps.throttle.assertAllowed('second-factor', subject);
    try {
      await this.deps.totp.verify(user.id, code);
    } catch (err) {
      if (isRegistryError(err)) {
        await this.deps.throttle.recordFailure('second-factor', subject, { factor: 'totp', reason: err.code });
        if (err.code === 'E_OTP_REPLAYED') {
          await this.deps.events.recordSecurityEvent(user.id, 'totp-replayed', { ip: context.ip, userAgent: context.userAgent ?? null });
        }
      }
      throw err;
    }
    await this.deps.throttle.recordSuccess('second-factor', subject);
  }

  async checkRecoveryCode(user: { id: number; name: string; email: string }, code: string, context: AttemptContext): Promise<{ remaining: number }> {
    const subject = { account: user.name, ip: context.ip, userId: user.id, userAgent: context.userAgent ?? null };
    await this.deps.throttle.assertAllowed('second-factor', subject);
    let result: { remaining: number };
    try {
      result = await this.deps.totp.useRecoveryCode(user.id, code);
    } catch (err) {
      if (isRegistryError(err)) await this.deps.throttle.recordFailure('second-factor', subject, { factor: 'recovery-code', reason: err.code });
      throw err;
    }
    await this.deps.throttle.recordSuccess('second-factor', subject);
    if (this.deps.notices) {
      await this.deps.notices.notify(user, 'recovery-code-used', { ip: context.ip, userAgent: context.userAgent ?? null, codesLeft: result.remaining }, 'recovery-code-used', { remaining: result.remaining });
    } else {
      await this.deps.events.recordSecurityEvent(user.id, 'recovery-code-used', { ip: context.ip, userAgent: context.userAgent ?? null, detail: { remaining: result.remaining } });
    }
    return result;
  }
}
