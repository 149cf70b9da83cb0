import type { TrustedPublisher } from '../domain/provenance.js';
import { ALLOW, deny, type Decision } from './decision.js';

/** The build identity a verified Fulcio certificate asserts (only the fields the binding needs). */
export interface BuildIdentity {
  /** e.g. https://github.com/owner/repo */
  readonly sourceRepositoryUri: string | null;
  /** e.g. https://github.com/owner/repo/.github/workflows/release.yml@refs/tags/v1.0.0 */
  readonly buildConfigUri: string | null;
  /** e.g. refs/tags/v1.0.0 */
  readonly sourceRepositoryRef: string | null;
}

const HOSTS: Record<TrustedPublisher['provider'], string> = { github: 'https://github.com', gitlab: 'https://gitlab.com', circleci: 'https://circleci.com' };

function sameRepository(publisher: TrustedPublisher, uri: string | null): boolean {
  if (!uri) return false;
  return uri.replace(/\.git$/, '').toLowerCase() === `${HOSTS[publisher.provider]}/${publisher.repository}`.toLowerCase();
}

/** The workflow file the certificate names, compared by path (`release.yml` matches `.github/workflows/release.yml`). */
function sameWorkflow(publisher: TrustedPublisher, buildConfigUri: string | null): boolean {
  if (!buildConfigUri) return false;
  const prefix = `${HOSTS[publisher.provider]}/${publisher.repository}/`.toLowerCase();
  const withoutRef = buildConfigUri.replace(/@[^@]*$/, '');
  if (!withoutRef.toLowerCase().startsWith(prefix)) return false;
  const path = withoutRef.slice(prefix.length);
  const wanted = publisher.workflow.replace(/^\/+/, '');
  return path === wanted || path.endsWith(`/${wanted}`);
}

/**
 * AUTHZ-3c + trusted publishing: decides whether a publish may proceed given the token's trusted
 * publisher, the verified provenance identity (null: no provenance) and the package's setting.
 */
export function decideProvenanceBinding(input: {
  readonly trustedPublisher: TrustedPublisher | null | undefined;
  readonly identity: BuildIdentity | null;
  readonly packageRequiresProvenance: boolean;
  readonly packageName: string;
}): Decision {
  const { trustedPublisher: publisher, identity } = input;
  if (identity === null) {
    if (input.packageRequiresProvenance) return deny('E_PROVENANCE_REQUIRED', `${input.packageName} requires provenance for every new version: publish from CI with npm publish --provenance.`);
    // Without a bundle there is no identity to bind; whether trusted publishing demands provenance is issue 4's policy.
    return ALLOW;
  }
  if (!publisher) return ALLOW;
  const where = `${publisher.provider}:${publisher.repository}`;
  if (!sameRepository(publisher, identity.sourceRepositoryUri)) {
    return deny('E_PROVENANCE_MISMATCH', `The provenance was built from ${identity.sourceRepositoryUri ?? 'an unknown repository'}, but the token was issued to the trusted publisher ${where}.`);
  }
  if (!sameWorkflow(publisher, identity.buildConfigUri)) {
    return deny('E_PROVENANCE_MISMATCH', `The provenance was built by ${identity.buildConfigUri ?? 'an unknown workflow'}, not the trusted workflow ${publisher.workflow} of ${where}.`);
  }
  if (publisher.ref && identity.sourceRepositoryRef !== publisher.ref) {
    return deny('E_PROVENANCE_MISMATCH', `The provenance was built on ${identity.sourceRepositoryRef ?? 'an unknown ref'}, not ${publisher.ref}.`);
  }
  return ALLOW;
}
