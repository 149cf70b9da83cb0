import type { TrustedPublisher } from './provenance.js';

/** Who is asking. Every service entry point takes one; no path skips authorization. */
export interface UserIdentity {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly isAdmin: boolean;
}

/** What a token may do (AUTHZ-1a). Empty package and scope lists mean "every package". */
export interface TokenGrant {
  readonly id: string;
  readonly readOnly: boolean;
  readonly packages: readonly string[];
  readonly scopes: readonly string[];
  readonly expiresAt: Date | null;
  /** The trusted publisher that minted the token (OIDC), which provenance must match. */
  readonly trustedPublisher?: TrustedPublisher | null;
  /** Orgs the token may manage; empty: every org the user may (if orgsPermission allows). */
  readonly orgs: readonly string[];
  readonly orgsPermission: 'none' | 'read-only' | 'read-write';
  /** Addresses the token may be used from (CIDR); empty: anywhere. */
  readonly cidrs: readonly string[];
  readonly bypass2fa: boolean;
}

export type Actor =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly user: UserIdentity; readonly via: 'token'; readonly token: TokenGrant }
  | { readonly kind: 'user'; readonly user: UserIdentity; readonly via: 'password' | 'operator' | 'session' };

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });
