import type { Actor } from '../domain/actor.js';
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
  if (token.packages.includes(packageName)) return ALLOW;
  const scope = packageName.startsWith('@') ? packageName.slice(0, packageName.indexOf('/')) : null;
  if (scope !== null && token.scopes.includes(scope)) return ALLOW;
  return deny('E_TOKEN_SCOPE', `This token is not scoped for ${packageName}.`);
}

/** Account-level writes (owners, profile, tokens) need an unrestricted, writable grant. */
export function decideAccountWrite(actor: Actor): Decision {
  if (actor.kind !== 'user') return deny('E_AUTH_REQUIRED', 'You must be logged in to do this.');
  if (actor.via !== 'token') return ALLOW;
  if (actor.token.readOnly) return deny('E_TOKEN_SCOPE', 'This token is read-only.');
  if (actor.token.packages.length > 0 || actor.token.scopes.length > 0) {
    return deny('E_TOKEN_SCOPE', 'This token is limited to certain packages; account changes need an unrestricted token.');
  }
  return ALLOW;
}
