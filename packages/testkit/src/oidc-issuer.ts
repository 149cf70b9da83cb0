// A real OIDC issuer on loopback for trusted-publishing tests: discovery document, JWKS, RS256
// ID tokens signed with jose, and GitHub Actions' ID-token request endpoint, so the npm CLI can
// run its GitHub Actions OIDC flow against it unchanged.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface OidcIssuer {
  /** The issuer URL (`iss`), e.g. http://127.0.0.1:PORT */
  readonly issuer: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_URL (npm appends `&audience=...`). */
  readonly actionsRequestUrl: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly actionsRequestToken: string;
  /** Claims merged into every token the Actions endpoint hands out (set per test). */
  actionsClaims: Record<string, unknown>;
  /** Seconds the Actions endpoint's tokens live (negative: already expired). */
  actionsLifetimeSeconds: number;
  /** Audience override for the Actions endpoint (undefined: the one npm asks for). */
  actionsAudience: string | undefined;
  /** When set, the Actions endpoint hands out this exact token (to replay one). */
  actionsFixedToken: string | undefined;
  /** Tokens the Actions endpoint issued, newest last (to replay one). */
  readonly issued: string[];
  /** Signs an ID token with the issuer's key. */
  mint(claims: Record<string, unknown>, opts?: { audience?: string; lifetimeSeconds?: number; issuer?: string }): Promise<string>;
  /** Replaces the signing key (the old one leaves the JWKS). */
  rotateKey(): Promise<void>;
  close(): Promise<void>;
}

/** GitHub Actions claims for a workflow run in `repository` (owner/name). */
export function githubActionsClaims(repository: string, workflowFile: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [owner] = repository.split('/');
  const ref = 'refs/heads/main';
  return {
    sub: `repo:${repository}:ref:${ref}`,
    repository,
    repository_owner: owner,
    repository_id: '100200300',
    repository_owner_id: '4004004',
    repository_visibility: 'private',
    ref,
    sha: 'a'.repeat(40),
    workflow: 'release',
    workflow_ref: `${repository}/.github/workflows/${workflowFile}@${ref}`,
    job_workflow_ref: `${repository}/.github/workflows/${workflowFile}@${ref}`,
    event_name: 'push',
    run_id: '7001',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    ...extra,
  };
}

export async function startOidcIssuer(): Promise<OidcIssuer> {
  let key = await generateKeyPair('RS256', { extractable: true });
  let kid = randomUUID();
  let jwk: JWK = { ...(await exportJWK(key.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const requestToken = randomUUID();
  let issuer = '';

  const state = {
    actionsClaims: {} as Record<string, unknown>,
    actionsLifetimeSeconds: 300,
    actionsAudience: undefined as string | undefined,
    actionsFixedToken: undefined as string | undefined,
    issued: [] as string[],
  };

  const mint: OidcIssuer['mint'] = async (claims, opts = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = opts.lifetimeSeconds ?? 300;
    return new SignJWT({ jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(opts.issuer ?? issuer)
      .setAudience(opts.audience ?? 'npm:127.0.0.1')
      .setIssuedAt(lifetime < 0 ? now + lifetime - 60 : now)
      .setNotBefore(lifetime < 0 ? now + lifetime - 60 : now - 5)
      .setExpirationTime(now + lifetime)
      .sign(key.privateKey);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer, jwks_uri: `${issuer}/.well-known/jwks`, id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['id_token'], subject_types_supported: ['public'] });
    }
    if (url.pathname === '/.well-known/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/_apis/actions/idtoken') {
      if (req.headers.authorization !== `Bearer ${requestToken}`) return json(401, { message: 'bad request token' });
      if (state.actionsFixedToken) return json(200, { value: state.actionsFixedToken });
      const audience = state.actionsAudience ?? url.searchParams.get('audience') ?? 'npm:127.0.0.1';
      mint(state.actionsClaims, { audience, lifetimeSeconds: state.actionsLifetimeSeconds }).then((value) => {
        state.issued.push(value);
        json(200, { value });
      }, (err: Error) => json(500, { message: err.message }));
      return;
    }
    json(404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(state, {
    issuer,
    actionsRequestUrl: `${issuer}/_apis/actions/idtoken?api-version=2.0`,
    actionsRequestToken: requestToken,
    mint,
    async rotateKey() {
      key = await generateKeyPair('RS256', { extractable: true });
      kid = randomUUID();
      jwk = { ...(await exportJWK(key.publicKey)), kid, alg: 'RS256', use: 'sig' };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as OidcIssuer;
}
