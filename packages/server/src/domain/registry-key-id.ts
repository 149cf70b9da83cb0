import { createHash, createPublicKey } from 'node:crypto';

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * npm's keyid for a P-256 key: the OpenSSH fingerprint, `SHA256:` + unpadded base64 of the
 * SHA-256 of the SSH wire-format public key (checked against npm's published keys, which are
 * not the hash of the SPKI DER).
 */
export function registryKeyId(spkiDer: Buffer): string {
  const jwk = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('Registry keys are ECDSA P-256.');
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  const blob = Buffer.concat([sshString(Buffer.from('ecdsa-sha2-nistp256')), sshString(Buffer.from('nistp256')), sshString(point)]);
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The PEM form npm and pacote verify with. */
export function spkiPem(spkiBase64: string): string {
  return `-----BEGIN PUBLIC KEY-----\n${spkiBase64}\n-----END PUBLIC KEY-----`;
}
