import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { toSignedEntity, Verifier } from '@sigstore/verify';
import type { TrustAnchor } from './trust.js';
import { RegistryError } from '../../domain/errors.js';
import {
  NPM_PUBLISH_PREDICATE, purlOf, SUPPORTED_PROVENANCE_PREDICATES, type ProvenanceSummary,
} from '../../domain/provenance.js';
import { certificateIdentity, type CertificateIdentity } from './certificate-identity.js';

/** The bundle formats npm publishes and serves (v0.1 SET only, v0.2 with proofs, v0.3). */
export const SUPPORTED_BUNDLE_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
];
const IN_TOTO_PAYLOAD = 'application/vnd.in-toto+json';
const IN_TOTO_STATEMENTS = ['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1'];

export interface Subject {
  readonly name: string;
  readonly version: string;
  /** hex sha512 of the tarball bytes */
  readonly sha512: string;
}

export interface VerifiedBundle {
  readonly predicateType: string;
  readonly statement: Record<string, unknown>;
  /** Null for keyed (publish) attestations. */
  readonly identity: CertificateIdentity | null;
  readonly keyid: string | null;
  readonly tlog: { logIndex: string; integratedTime: string | null } | null;
}

function invalid(message: string): RegistryError {
  return new RegistryError('E_PROVENANCE_INVALID', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Verifies one Sigstore bundle for an npm package version (AUTHZ-3c): format, in-toto subject
 * (purl and sha512 of the tarball), predicate, then signature, certificate chain and
 * transparency-log inclusion against the trust material. Throws RegistryError with a precise code.
 * `kind` says which predicates are acceptable: SLSA provenance, or npm's publish attestation.
 */
export function verifyBundle(json: unknown, subject: Subject, trust: readonly TrustAnchor[], kind: 'provenance' | 'publish' = 'provenance'): VerifiedBundle {
  if (!isObject(json)) throw invalid('The provenance bundle is not a JSON object.');
  if (typeof json.mediaType !== 'string' || !SUPPORTED_BUNDLE_MEDIA_TYPES.includes(json.mediaType)) {
    throw new RegistryError('E_PROVENANCE_UNSUPPORTED', `Unsupported Sigstore bundle media type ${JSON.stringify(String(json.mediaType)).slice(0, 100)}.`);
  }
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (err) {
    throw invalid(`The Sigstore bundle is malformed: ${(err as Error).message}`);
  }
  if (bundle.content.$case !== 'dsseEnvelope') throw new RegistryError('E_PROVENANCE_UNSUPPORTED', 'The bundle must hold a DSSE envelope with an in-toto statement.');
  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD) {
    throw new RegistryError('E_PROVENANCE_UNSUPPORTED', `Unsupported DSSE payload type ${JSON.stringify(envelope.payloadType).slice(0, 100)}.`);
  }
  let statement: unknown;
  try {
    statement = JSON.parse(Buffer.from(envelope.payload).toString('utf8'));
  } catch {
    throw invalid('The DSSE payload is not JSON.');
  }
  if (!isObject(statement) || !IN_TOTO_STATEMENTS.includes(String(statement._type))) throw invalid('The DSSE payload is not an in-toto statement.');
  checkSubject(statement, subject);
  const predicateType = String(statement.predicateType);
  const accepted = kind === 'publish' ? [NPM_PUBLISH_PREDICATE] : SUPPORTED_PROVENANCE_PREDICATES;
  if (!accepted.includes(predicateType)) {
    throw new RegistryError('E_PROVENANCE_UNSUPPORTED', `Unsupported predicate type ${JSON.stringify(predicateType).slice(0, 120)}; expected ${accepted.join(' or ')}.`);
  }

  // npm's rule (pacote): a signature naming a keyid is a registry-key signature; keyless ones name none.
  const keyid = envelope.signatures[0]?.keyid ?? '';
  const material = bundle.verificationMaterial.content;
  if (material.$case === 'publicKey') {
    if (keyid === '' || keyid !== material.publicKey.hint) throw invalid('A keyed attestation must name its registry key (DSSE keyid equal to the bundle\'s key hint).');
  } else if (keyid !== '') {
    throw invalid(`The keyless bundle names a key (${keyid.slice(0, 80)}) no registry key signs for.`);
  }
  // A registry's own keyed attestation may have no log entry (Bulwark's is recorded in its event log):
  // then the registry key's signature is the whole proof. Keyless bundles always need Rekor and CT.
  const unlogged = material.$case === 'publicKey' && bundle.verificationMaterial.tlogEntries.length === 0;
  const entity = toSignedEntity(bundle);
  let failure: unknown = new Error('no trusted root is configured');
  const verifiedByOne = trust.some((anchor) => {
    const options = unlogged ? { tlogThreshold: 0, timestampThreshold: 0, ctlogThreshold: 0 } : { ctlogThreshold: anchor.requireSct ? 1 : 0 };
    try {
      new Verifier(anchor.material, options).verify(entity);
      return true;
    } catch (err) {
      failure = err;
      return false;
    }
  });
  if (!verifiedByOne) {
    const code = (failure as { code?: string }).code;
    throw invalid(`Sigstore verification failed${code ? ` (${code})` : ''}: ${(failure as Error).message}`);
  }
  const tlogEntry = bundle.verificationMaterial.tlogEntries[0];
  let der: Buffer | null = null;
  if (material.$case === 'x509CertificateChain') der = material.x509CertificateChain.certificates[0]?.rawBytes ?? null;
  else if (material.$case === 'certificate') der = material.certificate.rawBytes;
  return {
    predicateType,
    statement,
    identity: der ? certificateIdentity(der) : null,
    keyid: keyid === '' ? null : keyid,
    tlog: tlogEntry ? { logIndex: tlogEntry.logIndex, integratedTime: tlogEntry.integratedTime || null } : null,
  };
}

function checkSubject(statement: Record<string, unknown>, expected: Subject): void {
  const subjects = statement.subject;
  const first = Array.isArray(subjects) ? subjects[0] : undefined;
  const purl = purlOf(expected.name, expected.version);
  if (!isObject(first) || typeof first.name !== 'string') throw new RegistryError('E_PROVENANCE_SUBJECT_MISMATCH', 'The in-toto statement has no subject.');
  if (first.name !== purl) {
    throw new RegistryError('E_PROVENANCE_SUBJECT_MISMATCH', `The provenance is for ${first.name.slice(0, 200)}, not ${purl}.`);
  }
  const digest = isObject(first.digest) ? first.digest.sha512 : undefined;
  if (typeof digest !== 'string') throw new RegistryError('E_PROVENANCE_SUBJECT_MISMATCH', 'The in-toto subject has no sha512 digest.');
  if (digest.toLowerCase() !== expected.sha512.toLowerCase()) {
    throw new RegistryError('E_PROVENANCE_SUBJECT_MISMATCH', `The provenance subject's sha512 ${digest.slice(0, 16)}… is not the tarball's ${expected.sha512.slice(0, 16)}….`);
  }
}

function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) cur = isObject(cur) ? cur[key] : undefined;
  return cur;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The provenance panel's facts, from the certificate first and the SLSA predicate second. */
export function summarize(verified: VerifiedBundle, rekorSearchUrl: string | null): ProvenanceSummary {
  const id = verified.identity;
  const predicate = verified.statement.predicate;
  // SLSA v1 (GitHub): buildDefinition.externalParameters.workflow {repository, path, ref}
  const workflow = get(predicate, 'buildDefinition', 'externalParameters', 'workflow');
  // SLSA v0.2 (npm on GitHub/GitLab): invocation.configSource {uri, digest.sha1, entryPoint}
  const configSource = get(predicate, 'invocation', 'configSource');
  const repoFromPredicate = str(get(workflow, 'repository')) ?? str(get(configSource, 'uri'))?.replace(/^git\+/, '').replace(/@.*$/, '') ?? null;
  const buildConfig = id?.buildConfigUri ?? null;
  const workflowPath = str(get(workflow, 'path')) ?? workflowPathOf(buildConfig) ?? str(get(configSource, 'entryPoint'))?.replace(/^[^/]+\/[^/]+\//, '').replace(/@.*$/, '') ?? null;
  const dependencies = get(predicate, 'buildDefinition', 'resolvedDependencies');
  const firstDependency = Array.isArray(dependencies) ? dependencies[0] : undefined;
  const commit = id?.sourceRepositoryDigest ?? str(get(configSource, 'digest', 'sha1')) ?? str(get(firstDependency, 'digest', 'gitCommit'));
  return {
    predicateType: verified.predicateType,
    signerIdentity: id?.san ?? null,
    issuer: id?.issuer ?? null,
    sourceRepository: id?.sourceRepositoryUri ?? repoFromPredicate,
    sourceCommit: commit,
    sourceRef: id?.sourceRepositoryRef ?? str(get(workflow, 'ref')),
    workflowPath,
    buildTrigger: id?.buildTrigger ?? str(get(predicate, 'invocation', 'environment', 'GITHUB_EVENT_NAME')),
    runnerEnvironment: id?.runnerEnvironment ?? str(get(predicate, 'buildDefinition', 'internalParameters', 'github', 'runner_environment')),
    buildRunUrl: id?.runInvocationUri ?? str(get(predicate, 'runDetails', 'metadata', 'invocationId')),
    transparencyLog: verified.tlog
      ? { logIndex: verified.tlog.logIndex, integratedTime: verified.tlog.integratedTime ? new Date(Number(verified.tlog.integratedTime) * 1000).toISOString() : null, url: rekorSearchUrl ? `${rekorSearchUrl}${verified.tlog.logIndex}` : null }
      : null,
  };
}

/** `.github/workflows/x.yml` out of `https://github.com/o/r/.github/workflows/x.yml@refs/...`. */
function workflowPathOf(uri: string | null): string | null {
  if (!uri) return null;
  const match = /^https:\/\/[^/]+\/[^/]+\/[^/]+\/(.+?)@/.exec(uri);
  return match ? match[1]! : null;
}
