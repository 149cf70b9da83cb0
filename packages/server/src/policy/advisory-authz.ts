import type { Actor } from '../domain/actor.js';
import { ALLOW, deny, type Decision } from './decision.js';
import { decideTokenScope } from './token-scope.js';

/**
 * Who may write (create, edit, publish) a private advisory about a package: its maintainers and
 * the registry's operators (admins), with a token scoped for writes to that package.
 */
export function decideAdvisoryWrite(actor: Actor, packageName: string, maintainerIds: readonly number[], now: Date): Decision {
  if (actor.kind !== 'user') return deny('E_AUTH_REQUIRED', 'You must be logged in to write advisories.');
  const scoped = decideTokenScope(actor, packageName, 'write', now);
  if (!scoped.allow) return scoped;
  if (actor.user.isAdmin || maintainerIds.includes(actor.user.id)) return ALLOW;
  return deny('E_NOT_OWNER', `Only maintainers of ${packageName} (or operators) may write advisories about it.`);
}
