import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { RegistryError } from '../domain/errors.js';
import type { Clock } from '../domain/ports.js';
import type { TotpStore } from '../domain/totp-store.js';
import { generateRecoveryCode, hashRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes.js';
import type { SecretBox } from './secret-box.js';

const PERIOD = 30;
const DIGITS = 6;
/** Codes this many steps away are not accepted but tell the user their clock is off (PyPI's hint). */
const OUT_OF_SYNC_WINDOW = 10;

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand. */
  readonly secret: string;
  /** otpauth://totp/... for the QR code and for scripts. */
  readonly uri: string;
  /** The URI as a QR code, an SVG document (no script, safe to inline under a strict CSP). */
  readonly qrSvg: string;
}

export interface TotpServiceOptions {
  readonly store: TotpStore;
  readonly box: SecretBox;
  readonly clock: Clock;
  /** Shown in the authenticator app next to the user name. */
  readonly issuer: string;
}

const associated = (userId: number) => `totp:${userId}`;

/** SHA-1, 6 digits, 30 s: what every authenticator app supports. */
function totpFor(issuer: string, label: string, secret: Secret): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret });
}

/**
 * TOTP second factor (AUTHN-1c): enrolment with a QR code, confirmed by a first code; codes of
 * the current step and one either side; a used step is never accepted again (the last accepted
 * step is moved forward atomically in the database, so two concurrent requests with one code
 * cannot both pass); codes 2..10 steps away are refused with an out-of-sync hint. Ten recovery
 * codes, stored hashed and burned on use.
 */
export class TotpService {
  constructor(private readonly deps: TotpServiceOptions) {}

  /** Starts enrolment (or restarts an unconfirmed one). E_FACTOR_EXISTS when TOTP is already on. */
  async beginEnrolment(user: { id: number; name: string }): Promise<TotpEnrolment> {
    const secret = new Secret({ size: 20 });
    const saved = await this.deps.store.savePending(user.id, this.deps.box.seal(secret.base32, associated(user.id)), this.deps.clock.now());
    if (!saved) throw new RegistryError('E_FACTOR_EXISTS', 'An authenticator app is already set up; remove it before adding another.');
    const uri = totpFor(this.deps.issuer, user.name, secret).toString();
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret: secret.base32, uri, qrSvg };
  }

  /** Confirms enrolment with a first code; returns the recovery codes, shown once. */
  async confirmEnrolment(userId: number, code: string): Promise<{ recoveryCodes: string[] }> {
    const factor = await this.deps.store.find(userId);
    if (!factor || factor.confirmedAt) throw new RegistryError('E_BAD_REQUEST', 'There is no authenticator app waiting for confirmation.');
    const step = this.matchStep(this.secretOf(userId, factor.secretSealed), code);
    if (!(await this.deps.store.confirm(userId, step, this.deps.clock.now()))) {
      throw new RegistryError('E_BAD_REQUEST', 'There is no authenticator app waiting for confirmation.');
    }
    return { recoveryCodes: await this.regenerateRecoveryCodes(userId) };
  }

  /**
   * Operator bootstrap (`bulwark admin user add --totp`): enrols and confirms at once, so scripts
   * can create a maintainer who meets the MFA rule. No step is marked used, so the first code
   * works right away. Returns the URI (a secret: hand it only to the user) and recovery codes.
   */
  async enrolConfirmed(user: { id: number; name: string }): Promise<{ uri: string; recoveryCodes: string[] }> {
    const { uri } = await this.beginEnrolment(user);
    if (!(await this.deps.store.confirm(user.id, null, this.deps.clock.now()))) throw new Error('enrolment vanished');
    return { uri, recoveryCodes: await this.regenerateRecoveryCodes(user.id) };
  }

  /** off: none; pending: enrolment started, not confirmed; on: confirmed. */
  async status(userId: number): Promise<'off' | 'pending' | 'on'> {
    const factor = await this.deps.store.find(userId);
    return !factor ? 'off' : factor.confirmedAt ? 'on' : 'pending';
  }

  async isEnrolled(userId: number): Promise<boolean> {
    return (await this.deps.store.find(userId))?.confirmedAt != null;
  }

  /**
   * Checks a code at sign-in or for a write. Throws E_OTP_INVALID (wrong or no TOTP),
   * E_OTP_REPLAYED (its step, or a later one, was used already) or E_OTP_OUT_OF_SYNC.
   */
  async verify(userId: number, code: string): Promise<void> {
    const factor = await this.deps.store.find(userId);
    if (!factor?.confirmedAt) throw new RegistryError('E_OTP_INVALID', 'The one-time code is not valid.');
    const step = this.matchStep(this.secretOf(userId, factor.secretSealed), code);
    if (!(await this.deps.store.acceptStep(userId, step))) {
      throw new RegistryError('E_OTP_REPLAYED', 'This one-time code was used already; wait for the next one.');
    }
  }

  /** Turns TOTP off and deletes the recovery codes with it. */
  async remove(userId: number): Promise<boolean> {
    const removed = await this.deps.store.remove(userId);
    if (removed) await this.deps.store.replaceRecoveryCodes(userId, [], this.deps.clock.now());
    return removed;
  }

  /** Ten new codes replace the old ones; returned once, stored hashed. */
  async regenerateRecoveryCodes(userId: number): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    await this.deps.store.replaceRecoveryCodes(userId, codes.map(hashRecoveryCode), this.deps.clock.now());
    return codes;
  }

  /** Burns a recovery code; E_OTP_INVALID when unknown or used. Returns how many remain. */
  async useRecoveryCode(userId: number, code: string): Promise<{ remaining: number }> {
    if (!/^[a-z0-9]{16}$/.test(normalizeRecoveryCode(code))) throw new RegistryError('E_OTP_INVALID', 'The recovery code is not valid.');
    if (!(await this.deps.store.burnRecoveryCode(userId, hashRecoveryCode(code), this.deps.clock.now()))) {
      throw new RegistryError('E_OTP_INVALID', 'The recovery code is not valid or was used already.');
    }
    return { remaining: await this.deps.store.countUnusedRecoveryCodes(userId) };
  }

  async countRecoveryCodes(userId: number): Promise<number> {
    return this.deps.store.countUnusedRecoveryCodes(userId);
  }

  private secretOf(userId: number, sealed: string): Secret {
    // A KEK mismatch throws here, loudly: never treat it as "no second factor".
    return Secret.fromBase32(this.deps.box.open(sealed, associated(userId)));
  }

  /** The time step the code belongs to (current +-1), or the refusal. */
  private matchStep(secret: Secret, code: string): number {
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) throw new RegistryError('E_OTP_INVALID', 'The one-time code is not valid.');
    const timestamp = this.deps.clock.now().getTime();
    const totp = totpFor(this.deps.issuer, 'verify', secret);
    const counter = TOTP.counter({ period: PERIOD, timestamp });
    const delta = totp.validate({ token, timestamp, window: 1 });
    if (delta !== null) return counter + delta;
    if (totp.validate({ token, timestamp, window: OUT_OF_SYNC_WINDOW }) !== null) {
      throw new RegistryError('E_OTP_OUT_OF_SYNC', 'The one-time code is for another time: check that your device\'s clock is set automatically.');
    }
    throw new RegistryError('E_OTP_INVALID', 'The one-time code is not valid.');
  }
}
