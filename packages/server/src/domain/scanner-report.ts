import { createPublicKey, verify } from 'node:crypto';

/**
 * AUTHZ-3b: a secret scanner's report (GitHub's secret scanning partner protocol): a JSON array of
 * `{token, type, url, source}`, signed with ECDSA P-256 over SHA-256 of the raw body; the
 * signature (base64 DER) and the key's identifier travel in headers.
 */
export interface ScannerKey {
  readonly id: string;
  /** PEM (SPKI) public key. */
  readonly pem: string;
  /** Only current keys are accepted; scanners retire keys by clearing this flag. */
  readonly current: boolean;
}

/** Port: where a scanner's public keys come from (an HTTP adapter in production). */
export interface ScannerKeySource {
  /** The provider's keys; with `unknownKeyId` the source may refetch (the provider may have a new key). */
  keys(provider: string, unknownKeyId?: string): Promise<readonly ScannerKey[]>;
}

export interface ReportedSecret {
  readonly token: string;
  readonly type: string;
  readonly url: string;
  readonly source: string;
}

/** True when `signature` (base64 DER ECDSA) is valid for `body` under the P-256 key. */
export function verifyScannerSignature(key: ScannerKey, signature: string, body: Buffer): boolean {
  try {
    const publicKey = createPublicKey(key.pem);
    if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false;
    return verify('sha256', body, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Parses the report body; null when it is not the protocol's shape. */
export function parseScannerReport(body: Buffer): ReportedSecret[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 1000) return null;
  const out: ReportedSecret[] = [];
  for (const item of parsed) {
    if (!item || typeof item !== 'object' || typeof (item as { token?: unknown }).token !== 'string') return null;
    const { token, type, url, source } = item as Record<string, unknown>;
    out.push({ token: token as string, type: typeof type === 'string' ? type : '', url: typeof url === 'string' ? url : '', source: typeof source === 'string' ? source : '' });
  }
  return out;
}
