import { createHmac } from 'node:crypto';

/** RFC 4648 base32 (the otpauth:// secret encoding), case and padding tolerant. */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error('the TOTP secret is not base32');
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), the parameters npm's authenticator apps use. */
export function totpCode(secret: string, at: Date = new Date(), stepOffset = 0): string {
  const counter = Math.floor(at.getTime() / 1000 / 30) + stepOffset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/**
 * Codes for one run, each from a time step not used before: a registry that refuses a replayed
 * code (as it should, AUTHN-1c) would refuse the second code of a step, so the sign-in and every
 * write after it draw their codes here, waiting for the next 30-second step when needed.
 */
export class FreshTotpCodes {
  private lastStep = -1;

  async next(secret: string): Promise<string> {
    let now = Date.now();
    if (Math.floor(now / 30_000) <= this.lastStep) {
      await new Promise((resolve) => setTimeout(resolve, (this.lastStep + 1) * 30_000 - now + 250));
      now = Date.now();
    }
    this.lastStep = Math.floor(now / 30_000);
    return totpCode(secret, new Date(now));
  }
}
