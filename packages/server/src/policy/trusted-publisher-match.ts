import type { CircleciTrustClaims, GithubTrustClaims, GitlabTrustClaims, TrustConfigRecord, TrustedPublisher } from '../domain/trusted-publisher.js';

export type OidcClaims = Readonly<Record<string, unknown>>;

export type TrustMatch =
  | { readonly ok: true; readonly publisher: TrustedPublisher; readonly pins: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly reason: string };

/** Events whose code comes from someone other than the repository's writers (PyPI, crates.io). */
const UNTRUSTED_GITHUB_EVENTS = new Set(['pull_request_target', 'workflow_run']);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const same = (a: string | null | undefined, b: string | null | undefined): boolean => !!a && !!b && a.toLowerCase() === b.toLowerCase();
const fail = (reason: string): TrustMatch => ({ ok: false, reason });

/** Checks the pinned immutable ids, or pins them at first use. */
function checkPins(config: TrustConfigRecord, claims: OidcClaims, keys: readonly string[]): TrustMatch | Record<string, string> {
  const pins: Record<string, string> = { ...config.pins };
  for (const key of keys) {
    const value = str(claims[key]);
    if (value === null) return fail(`the token has no ${key}`);
    if (pins[key] !== undefined && pins[key] !== value) return fail(`${key} ${value} is not the ${pins[key]} this publisher was first used with (was the account or repository re-created?)`);
    pins[key] = value;
  }
  return pins;
}

function matchGithub(config: TrustConfigRecord, c: GithubTrustClaims, claims: OidcClaims): TrustMatch {
  const repository = str(claims.repository);
  if (!same(repository, c.repository)) return fail(`repository ${repository ?? '(none)'} is not ${c.repository}`);
  const event = str(claims.event_name);
  if (event !== null && UNTRUSTED_GITHUB_EVENTS.has(event)) return fail(`workflows triggered by ${event} may run untrusted code and cannot publish`);
  // workflow_ref: "owner/repo/.github/workflows/release.yml@refs/heads/main"
  const workflowRef = str(claims.workflow_ref) ?? '';
  const at = workflowRef.lastIndexOf('@');
  const path = at === -1 ? workflowRef : workflowRef.slice(0, at);
  const prefix = `${repository}/.github/workflows/`;
  if (!path.toLowerCase().startsWith(prefix.toLowerCase()) || path.slice(prefix.length) !== c.workflow_ref.file) {
    return fail(`workflow ${workflowRef || '(none)'} is not .github/workflows/${c.workflow_ref.file} of ${c.repository}`);
  }
  if (c.environment && !same(str(claims.environment), c.environment)) return fail(`environment ${str(claims.environment) ?? '(none)'} is not ${c.environment}`);
  const pins = checkPins(config, claims, ['repository_id', 'repository_owner_id']);
  if ('ok' in pins) return pins as TrustMatch;
  return {
    ok: true, pins,
    publisher: { provider: 'github', repository: repository!, workflow: c.workflow_ref.file, ref: str(claims.ref), environment: str(claims.environment) },
  };
}

function matchGitlab(config: TrustConfigRecord, c: GitlabTrustClaims, claims: OidcClaims): TrustMatch {
  const project = str(claims.project_path);
  if (!same(project, c.project_path)) return fail(`project ${project ?? '(none)'} is not ${c.project_path}`);
  // ci_config_ref_uri: "gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main"
  const uri = str(claims.ci_config_ref_uri) ?? '';
  const sep = uri.indexOf('//');
  const at = uri.lastIndexOf('@');
  const file = sep === -1 ? '' : uri.slice(sep + 2, at === -1 ? undefined : at);
  if (!uri.toLowerCase().includes(`/${c.project_path.toLowerCase()}//`) || file !== c.ci_config_ref_uri.file) {
    return fail(`CI config ${uri || '(none)'} is not ${c.ci_config_ref_uri.file} of ${c.project_path}`);
  }
  if (c.environment && !same(str(claims.environment), c.environment)) return fail(`environment ${str(claims.environment) ?? '(none)'} is not ${c.environment}`);
  const pins = checkPins(config, claims, ['project_id', 'namespace_id']);
  if ('ok' in pins) return pins as TrustMatch;
  return { ok: true, pins, publisher: { provider: 'gitlab', repository: project!, workflow: file, ref: str(claims.ref), environment: str(claims.environment) } };
}

function matchCircleci(c: CircleciTrustClaims, claims: OidcClaims): TrustMatch {
  for (const [key, wanted] of Object.entries(c)) {
    const got = claims[key];
    if (Array.isArray(wanted)) {
      const have = Array.isArray(got) ? got.map(String) : [];
      if (!wanted.every((w) => have.includes(w))) return fail(`${key} does not include ${wanted.join(', ')}`);
    } else if (got !== wanted) {
      return fail(`${key} ${String(got ?? '(none)')} is not ${String(wanted)}`);
    }
  }
  const project = String(c['oidc.circleci.com/project-id'] ?? '');
  return { ok: true, pins: {}, publisher: { provider: 'circleci', repository: project, workflow: String(c['oidc.circleci.com/pipeline-definition-id'] ?? '') } };
}

/** Does a verified ID token's claims satisfy this trust configuration? Pure; the reason says why not. */
export function matchTrustConfig(config: TrustConfigRecord, claims: OidcClaims, now: Date): TrustMatch {
  if (config.pendingUntil && config.pendingUntil.getTime() <= now.getTime()) return fail('this pending publisher has expired');
  switch (config.type) {
    case 'github': return matchGithub(config, config.claims as GithubTrustClaims, claims);
    case 'gitlab': return matchGitlab(config, config.claims as GitlabTrustClaims, claims);
    case 'circleci': return matchCircleci(config.claims as CircleciTrustClaims, claims);
  }
}
