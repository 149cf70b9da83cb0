import type { Actor, TokenGrant } from '../domain/actor.js';
import { ipInCidrs, matchesPackageList } from '../domain/token-grant.js';
import { ALLOW, deny, type Decision } from './decision.js';

export type PackageAction = 'read' | 'write';

/**
 * AUTHZ-1a: a token limited to packages or scopes may act only on those; a read-only token
 * never writes. Password and operator actors are not token-limited.
 */
export function decideTokenScope(actor: Actor, packageName: string, action: PackageAction, now: Date): Decision {
  if (actor.kind !== 'user' || actor.via !== 'token') return ALLOW;
  const token = actor.token;
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) {
    return deny('E_TOKEN_INVALID', 'This token has expired.');
  }
  if (action === 'write' && token.readOnly) {
    return deny('E_TOKEN_SCOPE', 'This token is read-only and cannot change packages.');
  }
  const unrestricted = token.packages.length === 0 && token.scopes.length === 0;
  if (unrestricted) return ALLOW;
  if (matchesPackageList(token.packages, packageName)) return ALLOW;
  const scope = packageName.startsWith('@') ? packageName.slice(0, packageName.indexOf('/')) : null;
  if (scope !== null && token.scopes.includes(scope)) return ALLOW;
  return deny('E_TOKEN_SCOPE', `This token is not scoped for ${packageName}.`);
}

/**
 * Account-level writes (owners, orgs and teams, profile, tokens). A token needs write access, the
 * right to manage people (`orgsPermission: read-write`), and, if it is limited to packages, an
 * explicit grant for the org in question.
 */
export function decideAccountWrite(actor: Actor, org?: string): Decision {
  if (actor.kind !== 'user') return deny('E_AUTH_REQUIRED', 'You must be logged in to do this.');
  if (actor.via !== 'token') return ALLOW;
  const token = actor.token;
  if (token.readOnly) return deny('E_TOKEN_SCOPE', 'This token is read-only.');
  if (token.orgsPermission !== 'read-write') return deny('E_TOKEN_SCOPE', 'This token may not manage people or accounts.');
  const listsOrg = org !== undefined && token.orgs.includes(org);
  if (org !== undefined && token.orgs.length > 0 && !listsOrg) return deny('E_TOKEN_SCOPE', `This token may not manage the @${org} organization.`);
  if ((token.packages.length > 0 || token.scopes.length > 0) && !listsOrg) {
    return deny('E_TOKEN_SCOPE', 'This token is limited to certain packages; account changes need an unrestricted token.');
  }
  return ALLOW;
}

/** AUTHZ-1a: a token with a CIDR allow-list works only from those addresses. */
export function decideTokenSource(token: TokenGrant, ip: string | undefined): Decision {
  if (token.cidrs.length === 0) return ALLOW;
  if (ip !== undefined && ipInCidrs(ip, token.cidrs)) return ALLOW;
  return deny('E_TOKEN_SCOPE', `This token may not be used from ${ip ?? 'an unknown address'}; it is limited to ${token.cidrs.join(', ')}.`);
}
