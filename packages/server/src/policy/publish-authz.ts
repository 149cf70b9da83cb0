import type { Actor } from '../domain/actor.js';
import { ALLOW, deny, type Decision } from './decision.js';
import type { OrgFacts } from '../domain/organization.js';
import { decideOrgPublish } from './org-roles.js';
import { decideTokenScope } from './token-scope.js';

export interface PublishFacts {
  readonly actor: Actor;
  readonly packageName: string;
  readonly scope: string | null;
  /** Null when the package does not exist yet. */
  readonly maintainerIds: readonly number[] | null;
  /** The user that owns the scope (claimed, or the user of that name); null if nobody; undefined if unscoped. */
  readonly scopeOwnerId: number | null | undefined;
  /** Set when the scope belongs to an organization: its roles decide (AUTHZ-2a). */
  readonly org?: OrgFacts | undefined;
  readonly now: Date;
}

/**
 * Who may publish or change a package: its maintainers; for a new scoped package, the owner of
 * the scope (a scope is the user of that name's, or is claimed by its first publisher). Admins manage
 * people, they do not publish (AUTHZ-2a keeps those roles apart).
 */
export function decidePackageWrite(facts: PublishFacts): Decision {
  const { actor } = facts;
  if (actor.kind !== 'user') return deny('E_AUTH_REQUIRED', 'You must be logged in to publish packages.');
  const scoped = decideTokenScope(actor, facts.packageName, 'write', facts.now);
  if (!scoped.allow) return scoped;
  const userId = actor.user.id;
  if (facts.org) return decideOrgPublish(facts.org, facts.maintainerIds?.includes(userId) ?? false, facts.maintainerIds !== null, facts.packageName);
  if (facts.maintainerIds !== null) {
    return facts.maintainerIds.includes(userId)
      ? ALLOW
      : deny('E_NOT_OWNER', `You are not a maintainer of ${facts.packageName}.`);
  }
  if (facts.scope !== null && facts.scopeOwnerId != null && facts.scopeOwnerId !== userId) {
    return deny('E_NOT_OWNER', `The scope @${facts.scope} belongs to another user; you cannot publish ${facts.packageName}.`);
  }
  return ALLOW;
}
