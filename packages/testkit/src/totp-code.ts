// Current TOTP codes from an otpauth:// URI, as `bulwark admin user add --totp` prints it, so
// e2e suites can publish with `npm publish --otp` once MFA is enforced.
import { TOTP, URI } from 'otpauth';

/** The code for `at` (default now) from an otpauth://totp URI. */
export function totpCode(uri: string, at: Date = new Date()): string {
  const otp = URI.parse(uri);
  if (!(otp instanceof TOTP)) throw new Error('not an otpauth://totp URI');
  return otp.generate({ timestamp: at.getTime() });
}

/**
 * A code for a time step no earlier than `afterStep` (the registry refuses a step twice):
 * waits for the next 30 s step when needed. Returns the code and its step.
 */
export async function freshTotpCode(uri: string, afterStep = -1): Promise<{ code: string; step: number }> {
  const otp = URI.parse(uri);
  if (!(otp instanceof TOTP)) throw new Error('not an otpauth://totp URI');
  for (;;) {
    const now = Date.now();
    const step = TOTP.counter({ period: otp.period, timestamp: now });
    if (step > afterStep) return { code: otp.generate({ timestamp: now }), step };
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * otp.period * 1000 - now + 50));
  }
}

/** The current code for a base32 secret, as npm shows it under the QR code of `npm profile enable-2fa`. */
export function totpCodeForSecret(secret: string, at: Date = new Date()): string {
  return new TOTP({ secret }).generate({ timestamp: at.getTime() });
}
