import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { RegistryError } from '../../domain/errors.js';
import type { OidcVerifier, VerifiedIdToken } from '../../domain/oidc-verifier.js';
import type { TrustProvider } from '../../domain/trusted-publisher.js';

export interface TrustedIssuer {
  readonly type: TrustProvider;
  /** Exact issuer URL, or a prefix ending in `*` (CircleCI issues per org: https://oidc.circleci.com/org/*). */
  readonly issuer: string;
}

/** Discovery documents older than this are fetched again (RubyGems refuses a day-old one). */
const DISCOVERY_TTL_MS = 60 * 60_000;
const CLOCK_TOLERANCE_S = 30;

const invalid = (reason: string, cause?: unknown) => new RegistryError('E_OIDC_INVALID', `The ID token was refused: ${reason}.`, { cause });

/**
 * AUTHZ-3a: ID tokens from an allow-list of issuers, verified with jose against the keys the
 * issuer's OIDC discovery document points to (JWKS cached by jose, refetched for unknown kids).
 */
export class JoseOidcVerifier implements OidcVerifier {
  private readonly keySets = new Map<string, { getKey: JWTVerifyGetKey; fetchedAt: number }>();

  constructor(private readonly issuers: readonly TrustedIssuer[]) {}

  private providerOf(issuer: string): TrustProvider | null {
    for (const trusted of this.issuers) {
      const match = trusted.issuer.endsWith('*') ? issuer.startsWith(trusted.issuer.slice(0, -1)) : issuer === trusted.issuer;
      if (match) return trusted.type;
    }
    return null;
  }

  private async keySet(issuer: string): Promise<JWTVerifyGetKey> {
    const cached = this.keySets.get(issuer);
    if (cached && Date.now() - cached.fetchedAt < DISCOVERY_TTL_MS) return cached.getKey;
    const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw invalid(`the issuer's discovery document answered HTTP ${res.status}`);
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (doc.issuer !== issuer || typeof doc.jwks_uri !== 'string') throw invalid('the issuer\'s discovery document does not name this issuer and a jwks_uri');
    const getKey = createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: 10_000, cooldownDuration: 30_000 });
    this.keySets.set(issuer, { getKey, fetchedAt: Date.now() });
    return getKey;
  }

  async verify(idToken: string, audience: string): Promise<VerifiedIdToken> {
    let unverified: ReturnType<typeof decodeJwt>;
    try {
      unverified = decodeJwt(idToken);
    } catch (err) {
      throw invalid('it is not a JWT', err);
    }
    const issuer = typeof unverified.iss === 'string' ? unverified.iss : '';
    const provider = this.providerOf(issuer);
    if (!provider) throw invalid(`the issuer ${issuer.slice(0, 100) || '(none)'} is not trusted by this registry`);
    try {
      const { payload } = await jwtVerify(idToken, await this.keySet(issuer), {
        issuer, audience, clockTolerance: CLOCK_TOLERANCE_S, requiredClaims: ['exp', 'iat', 'jti'], algorithms: ['RS256', 'ES256', 'PS256'],
      });
      // One audience only: a token meant for several relying parties is meant for none (PyPI).
      if (Array.isArray(payload.aud) && payload.aud.length !== 1) throw invalid('it names more than one audience');
      return { issuer, provider, jti: String(payload.jti), expiresAt: new Date(payload.exp! * 1000), claims: payload };
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      if (err instanceof errors.JWTExpired) throw invalid('it has expired', err);
      if (err instanceof errors.JWTClaimValidationFailed) throw invalid(`claim ${err.claim} is wrong (${err.reason}); the audience must be ${audience}`, err);
      if (err instanceof errors.JOSEError) throw invalid(`its signature does not verify with the issuer's keys (${err.code})`, err);
      throw err;
    }
  }
}
