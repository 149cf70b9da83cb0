import { ASN1Obj, X509Certificate } from '@sigstore/core';

/** Fulcio certificate extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md). */
const OID = {
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  triggerV1: '1.3.6.1.4.1.57264.1.2',
  shaV1: '1.3.6.1.4.1.57264.1.3',
  repositoryV1: '1.3.6.1.4.1.57264.1.5',
  refV1: '1.3.6.1.4.1.57264.1.6',
  issuer: '1.3.6.1.4.1.57264.1.8',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
} as const;

/** What a Fulcio certificate says about the build that asked for it. */
export interface CertificateIdentity {
  readonly san: string | null;
  readonly issuer: string | null;
  readonly sourceRepositoryUri: string | null;
  readonly sourceRepositoryDigest: string | null;
  readonly sourceRepositoryRef: string | null;
  /** e.g. https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1 */
  readonly buildConfigUri: string | null;
  readonly buildTrigger: string | null;
  readonly runnerEnvironment: string | null;
  readonly runInvocationUri: string | null;
}

function readExtension(cert: X509Certificate, oid: string, derEncoded: boolean): string | null {
  const ext = cert.extension(oid);
  if (!ext) return null;
  try {
    // Fulcio's v2 extensions are DER UTF8Strings; the deprecated v1 ones are raw bytes.
    return derEncoded ? ASN1Obj.parseBuffer(Buffer.from(ext.value)).value.toString('utf8') : ext.value.toString('utf8');
  } catch {
    return ext.value.toString('utf8');
  }
}

export function certificateIdentity(der: Buffer): CertificateIdentity {
  const cert = X509Certificate.parse(Buffer.from(der));
  const v1Repository = readExtension(cert, OID.repositoryV1, false);
  const san = cert.subjectAltName ?? null;
  return {
    san,
    issuer: readExtension(cert, OID.issuer, true) ?? readExtension(cert, OID.issuerV1, false),
    sourceRepositoryUri: readExtension(cert, OID.sourceRepositoryUri, true) ?? (v1Repository ? `https://github.com/${v1Repository}` : null),
    sourceRepositoryDigest: readExtension(cert, OID.sourceRepositoryDigest, true) ?? readExtension(cert, OID.shaV1, false),
    sourceRepositoryRef: readExtension(cert, OID.sourceRepositoryRef, true) ?? readExtension(cert, OID.refV1, false),
    buildConfigUri: readExtension(cert, OID.buildConfigUri, true) ?? (san?.startsWith('https://') ? san : null),
    buildTrigger: readExtension(cert, OID.buildTrigger, true) ?? readExtension(cert, OID.triggerV1, false),
    runnerEnvironment: readExtension(cert, OID.runnerEnvironment, true),
    runInvocationUri: readExtension(cert, OID.runInvocationUri, true),
  };
}
