import type { TrustProvider } from './trusted-publisher.js';

/** A verified OIDC ID token: signature, issuer, audience and lifetime checked. */
export interface VerifiedIdToken {
  readonly issuer: string;
  readonly provider: TrustProvider;
  readonly jti: string;
  readonly expiresAt: Date;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Port: verifies CI providers' ID tokens (JWKS discovery and caching live in the adapter). */
export interface OidcVerifier {
  /** Throws RegistryError E_OIDC_INVALID with the reason when the token is not acceptable. */
  verify(idToken: string, audience: string): Promise<VerifiedIdToken>;
}
