/**
 * AUTHZ-3a trusted publishing: a package trusts a CI workflow, identified by the claims of the
 * OIDC ID token its provider issues. Configured with `npm trust` (npm-registry-api.md 5.11).
 */
export type TrustProvider = 'github' | 'gitlab' | 'circleci';
export type TrustPermission = 'createPackage' | 'createStagedPackage';

export interface GithubTrustClaims {
  readonly repository: string;
  readonly workflow_ref: { readonly file: string };
  readonly environment?: string;
}

export interface GitlabTrustClaims {
  readonly project_path: string;
  readonly ci_config_ref_uri: { readonly file: string };
  readonly environment?: string;
}

/** CircleCI claims keep their full names (`oidc.circleci.com/org-id`, ...). */
export type CircleciTrustClaims = Readonly<Record<string, string | readonly string[]>>;

export interface TrustConfigRecord {
  readonly id: string;
  readonly packageName: string;
  readonly type: TrustProvider;
  readonly claims: GithubTrustClaims | GitlabTrustClaims | CircleciTrustClaims;
  readonly permissions: readonly TrustPermission[];
  /**
   * Immutable ids learned from the first accepted token (GitHub repository and owner ids, GitLab
   * project and namespace ids): a deleted and re-created repository or account of the same name
   * no longer matches.
   */
  readonly pins: Readonly<Record<string, string>>;
  readonly createdBy: number;
  readonly createdAt: Date;
  /** For a package that does not exist yet (a pending publisher): when the offer lapses. */
  readonly pendingUntil: Date | null;
}

/** Who published, as carried by a token minted for a trusted publisher. */
export interface TrustedPublisher {
  readonly provider: TrustProvider;
  /** owner/name (GitHub), group/project (GitLab), or the CircleCI project id. */
  readonly repository: string;
  /** The workflow file (GitHub, GitLab) or pipeline definition id (CircleCI). */
  readonly workflow: string;
  readonly ref?: string | null;
  readonly environment?: string | null;
  /** The configuration allows `npm stage publish` only (no direct publish; an owner approves). */
  readonly stageOnly?: boolean;
}
