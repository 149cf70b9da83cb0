import { createHash } from 'node:crypto';
import type { Actor } from '../../domain/actor.js';
import { RegistryError } from '../../domain/errors.js';
import { isJsonObject } from '../../domain/json-object.js';
import type { ProvenanceStore } from '../../domain/provenance-store.js';
import { NPM_PUBLISH_PREDICATE, type Attestation, type ProvenanceSummary, type RegistrySignature, type VersionAttestations } from '../../domain/provenance.js';
import type { VersionRecord } from '../../domain/records.js';
import type { Clock, MetadataStore } from '../../domain/ports.js';
import { decideTokenScope } from '../../policy/token-scope.js';
import type { NpmPublicKey } from '../registry-signing.js';
import { enforce } from '../../policy/decision.js';
import { decideProvenanceBinding } from '../../policy/provenance-binding.js';
import type { RegistrySigning } from '../registry-signing.js';
import { createPublishAttestation } from './publish-attestation.js';
import { buildTrustMaterial, type TrustAnchor } from './trust.js';
import { summarize, verifyBundle } from './verify-bundle.js';

/** npm sends the bundle JSON as a string; a real one is a few KiB. */
const MAX_BUNDLE_CHARS = 1024 * 1024;

export interface ProvenanceConfig {
  /** trusted_root.json documents (parsed JSON) the operator trusts. */
  readonly trustedRoots: readonly unknown[];
  readonly rekorSearchUrl: string | null;
  /** The registry named in Bulwark's publish attestations. */
  readonly registryUrl: string;
  readonly publishAttestationInNpmEndpoint: boolean;
}

/** What a publish adds to the version record: signatures always, attestations with provenance. */
export interface PublishSeal {
  readonly signatures: RegistrySignature[];
  readonly attestations: VersionAttestations | null;
  /** SHA-256 of the accepted bundle, for the transparency log. */
  readonly bundleDigest: string | null;
}

/** The provenance panel of the web UI (one version). */
export type ProvenancePanel =
  | { readonly name: string; readonly version: string; readonly status: 'verified'; readonly verifiedAt: string; readonly provenance: ProvenanceSummary; readonly attestationsUrl: string }
  | { readonly name: string; readonly version: string; readonly status: 'none' };

function extractBundle(name: string, version: string, body: unknown): unknown | undefined {
  const attachments = isJsonObject(body) ? body._attachments : undefined;
  if (!isJsonObject(attachments)) return undefined;
  // npm names it "<name>-<version>.sigstore", scope included.
  const key = Object.keys(attachments).find((k) => k === `${name}-${version}.sigstore`) ?? Object.keys(attachments).find((k) => k.endsWith('.sigstore'));
  if (key === undefined) return undefined;
  const attachment = attachments[key];
  const data = isJsonObject(attachment) ? attachment.data : undefined;
  if (typeof data !== 'string') throw new RegistryError('E_PROVENANCE_INVALID', 'The .sigstore attachment carries no bundle data.');
  if (data.length > MAX_BUNDLE_CHARS) throw new RegistryError('E_PROVENANCE_INVALID', 'The provenance bundle is over 1 MiB.');
  try {
    return JSON.parse(data);
  } catch {
    throw new RegistryError('E_PROVENANCE_INVALID', 'The .sigstore attachment is not JSON (npm sends the bundle as a plain JSON string).');
  }
}

/**
 * AUTHZ-3c at publish and read time: verifies the provenance bundle against the configured
 * Sigstore roots and binds it to the tarball and the trusted publisher, signs the version, and
 * serves attestations in npm's shape.
 */
export class Provenance {
  private readonly trust: TrustAnchor[];

  constructor(private readonly deps: { signing: RegistrySigning; store: ProvenanceStore; metadata: MetadataStore; clock: Clock; config: ProvenanceConfig }) {
    this.trust = buildTrustMaterial(deps.config.trustedRoots);
  }

  /** Runs before anything is stored; throws a RegistryError when the publish must be refused. */
  async sealPublish(input: { actor: Actor; name: string; version: string; integrity: string; tarball: Uint8Array; body: unknown; at: Date }): Promise<PublishSeal> {
    const { name, version } = input;
    const sha512 = createHash('sha512').update(input.tarball).digest('hex');
    const json = extractBundle(name, version, input.body);
    const verified = json === undefined ? null : verifyBundle(json, { name, version, sha512 }, this.trust, 'provenance');
    const trustedPublisher = input.actor.kind === 'user' && input.actor.via === 'token' ? input.actor.token.trustedPublisher : null;
    enforce(decideProvenanceBinding({
      trustedPublisher, identity: verified?.identity ?? null, packageName: name,
      packageRequiresProvenance: await this.deps.store.requiresProvenance(name),
    }));
    const signatures = [this.deps.signing.signVersion(name, version, input.integrity)];
    if (!verified) return { signatures, attestations: null, bundleDigest: null };
    const publish = createPublishAttestation(this.deps.signing, { name, version, sha512, registry: this.deps.config.registryUrl });
    return {
      signatures,
      attestations: {
        provenance: summarize(verified, this.deps.config.rekorSearchUrl),
        verifiedAt: input.at.toISOString(),
        attestations: [{ predicateType: verified.predicateType, bundle: json }, { predicateType: NPM_PUBLISH_PREDICATE, bundle: publish }],
      },
      bundleDigest: createHash('sha256').update(JSON.stringify(json)).digest('hex'),
    };
  }

  /** GET /-/npm/v1/keys */
  keys(): { keys: NpmPublicKey[] } {
    return { keys: this.deps.signing.publicKeys() };
  }

  private async version(actor: Actor, name: string, version: string): Promise<VersionRecord> {
    if (actor.kind !== 'anonymous') enforce(decideTokenScope(actor, name, 'read', this.deps.clock.now()));
    const found = await this.deps.metadata.findVersion(name, version);
    if (!found) throw new RegistryError('E_VERSION_NOT_FOUND', `No version ${version.slice(0, 64)} of ${name}.`);
    return found;
  }

  /** GET /-/npm/v1/attestations/NAME@VERSION (404 when the version has none, as npm answers). */
  async attestations(actor: Actor, name: string, version: string, all = false): Promise<{ attestations: Attestation[] }> {
    const found = this.attestationsOf(await this.version(actor, name, version), all);
    if (!found) throw new RegistryError('E_NOT_FOUND', `${name}@${version.slice(0, 64)} has no attestations.`);
    return found;
  }

  /** The web UI's provenance panel for one version. */
  async panel(actor: Actor, name: string, version: string, attestationsUrl: string): Promise<ProvenancePanel> {
    return this.panelOf(await this.version(actor, name, version), attestationsUrl);
  }

  /** `all` includes Bulwark's publish attestation whatever the setting. */
  attestationsOf(v: VersionRecord, all = false): { attestations: Attestation[] } | null {
    if (!v.attestations) return null;
    const list = all || this.deps.config.publishAttestationInNpmEndpoint
      ? v.attestations.attestations
      : v.attestations.attestations.filter((a) => a.predicateType !== NPM_PUBLISH_PREDICATE);
    return { attestations: [...list] };
  }

  panelOf(v: VersionRecord, attestationsUrl: string): ProvenancePanel {
    if (!v.attestations) return { name: v.name, version: v.version, status: 'none' };
    return { name: v.name, version: v.version, status: 'verified', verifiedAt: v.attestations.verifiedAt, provenance: v.attestations.provenance, attestationsUrl };
  }
}

export { buildTrustMaterial };
