// A company's own Sigstore for tests: a Fulcio-like CA issuing a short-lived certificate with
// GitHub Actions extensions, and a Rekor-like log key signing the entry timestamp (SET).
import 'reflect-metadata'; // @peculiar/x509 needs it
import { createHash, KeyObject, sign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { dsse, json } from '@sigstore/core';
import { purlOf, SLSA_PROVENANCE_V1 } from '../../src/domain/provenance.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const IN_TOTO = 'application/vnd.in-toto+json';

function utf8String(value: string): ArrayBuffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = bytes.length < 128 ? Buffer.from([bytes.length]) : Buffer.from([0x82, bytes.length >> 8, bytes.length & 0xff]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x0c]), length, bytes])).buffer;
}

export interface PrivateSigstore {
  /** The trusted_root.json an operator would configure. */
  readonly trustedRoot: Record<string, unknown>;
  signProvenance(input: { name: string; version: string; sha512: string; repository: string; workflow: string; ref: string; commit: string }): Promise<Record<string, unknown>>;
}

export async function createPrivateSigstore(): Promise<PrivateSigstore> {
  const now = Date.now();
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=Acme Fulcio Root, O=Acme Corp', notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 365 * 86_400_000),
    signingAlgorithm: ALG, keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const rekorKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as CryptoKeyPair;
  const rekorSpki = Buffer.from(await webcrypto.subtle.exportKey('spki', rekorKeys.publicKey));
  const rekorPrivate = KeyObject.from(rekorKeys.privateKey);
  const logId = createHash('sha256').update(rekorSpki).digest();
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: 'https://rekor.acme.test', hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: rekorSpki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: new Date(now - 86_400_000).toISOString() } }, logId: { keyId: logId.toString('base64') } }],
    certificateAuthorities: [{ subject: { organization: 'Acme Corp', commonName: 'Acme Fulcio Root' }, uri: 'https://fulcio.acme.test', certChain: { certificates: [{ rawBytes: Buffer.from(ca.rawData).toString('base64') }] }, validFor: { start: new Date(now - 86_400_000).toISOString() } }],
    ctlogs: [],
    timestampAuthorities: [],
  };
  let logIndex = 1000;

  return {
    trustedRoot,
    async signProvenance(input) {
      const leafKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as CryptoKeyPair;
      const repoUrl = `https://github.com/${input.repository}`;
      const workflowUri = `${repoUrl}/${input.workflow}@${input.ref}`;
      const ext = (oid: string, value: string) => new x509.Extension(oid, false, utf8String(value));
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: String(logIndex), subject: 'CN=sigstore', issuer: ca.subject, notBefore: new Date(now - 60_000), notAfter: new Date(now + 600_000),
        signingAlgorithm: ALG, publicKey: leafKeys.publicKey, signingKey: caKeys.privateKey,
        extensions: [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.3']),
          new x509.SubjectAlternativeNameExtension([{ type: 'url', value: workflowUri }], true),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
          ext('1.3.6.1.4.1.57264.1.8', 'https://token.actions.githubusercontent.com'),
          ext('1.3.6.1.4.1.57264.1.11', 'self-hosted'),
          ext('1.3.6.1.4.1.57264.1.12', repoUrl),
          ext('1.3.6.1.4.1.57264.1.13', input.commit),
          ext('1.3.6.1.4.1.57264.1.14', input.ref),
          ext('1.3.6.1.4.1.57264.1.18', workflowUri),
          ext('1.3.6.1.4.1.57264.1.20', 'push'),
          ext('1.3.6.1.4.1.57264.1.21', `${repoUrl}/actions/runs/1/attempts/1`),
        ],
      });
      const statement = {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: purlOf(input.name, input.version), digest: { sha512: input.sha512 } }],
        predicateType: SLSA_PROVENANCE_V1,
        predicate: {
          buildDefinition: {
            buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
            externalParameters: { workflow: { ref: input.ref, repository: repoUrl, path: input.workflow } },
            internalParameters: { github: { event_name: 'push', runner_environment: 'self-hosted' } },
            resolvedDependencies: [{ uri: `git+${repoUrl}@${input.ref}`, digest: { gitCommit: input.commit } }],
          },
          runDetails: { builder: { id: 'https://github.com/actions/runner/self-hosted' }, metadata: { invocationId: `${repoUrl}/actions/runs/1/attempts/1` } },
        },
      };
      const payload = Buffer.from(JSON.stringify(statement));
      const signature = sign('sha256', dsse.preAuthEncoding(IN_TOTO, payload), KeyObject.from(leafKeys.privateKey));
      const body = {
        apiVersion: '0.0.1', kind: 'dsse',
        spec: { payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') }, signatures: [{ signature: signature.toString('base64'), verifier: Buffer.from(leaf.toString('pem')).toString('base64') }] },
      };
      const canonicalizedBody = Buffer.from(json.canonicalize(body));
      const integratedTime = Math.floor(now / 1000);
      logIndex += 1;
      const set = sign('sha256', Buffer.from(json.canonicalize({ body: canonicalizedBody.toString('base64'), integratedTime, logIndex, logID: logId.toString('hex') })), rekorPrivate);
      return {
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
        verificationMaterial: {
          x509CertificateChain: { certificates: [{ rawBytes: Buffer.from(leaf.rawData).toString('base64') }] },
          tlogEntries: [{
            logIndex: String(logIndex), logId: { keyId: logId.toString('base64') }, kindVersion: { kind: 'dsse', version: '0.0.1' },
            integratedTime: String(integratedTime), inclusionPromise: { signedEntryTimestamp: set.toString('base64') }, canonicalizedBody: canonicalizedBody.toString('base64'),
          }],
          timestampVerificationData: { rfc3161Timestamps: [] },
        },
        dsseEnvelope: { payload: payload.toString('base64'), payloadType: IN_TOTO, signatures: [{ sig: signature.toString('base64'), keyid: '' }] },
      };
    },
  };
}
