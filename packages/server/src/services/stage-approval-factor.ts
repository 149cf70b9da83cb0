import { RegistryError } from '../domain/errors.js';
import type { SecondFactorGate } from './second-factor-gate.js';
import type { SecondFactorCheck } from './staged-publishing.js';

/**
 * The second factor an approval of a staged publish needs (AUTHN, issue 4): a TOTP code, or a
 * recovery code, through the throttled gate. No code: npm's OTP challenge, so the CLI prompts.
 */
export function stageApprovalFactor(gate: SecondFactorGate): SecondFactorCheck {
  return async (user, code, client) => {
    if (code === undefined) {
      throw new RegistryError('E_OTP_REQUIRED', 'Approving or rejecting a staged publish needs your second factor: add --otp <code>.', { headers: { 'www-authenticate': 'OTP' } });
    }
    if (/^\d{6,8}$/.test(code)) await gate.checkTotp(user, code, client);
    else await gate.checkRecoveryCode(user, code, client);
  };
}
