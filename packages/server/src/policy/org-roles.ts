import type { Actor } from '../domain/actor.js';
import type { OrgFacts, OrgRole } from '../domain/organization.js';
import { ALLOW, deny, type Decision } from './decision.js';
import { decideAccountWrite } from './token-scope.js';

/**
 * Publishing in an org's scope (AUTHZ-2a). Existing package: its maintainers, a read-write team,
 * or an org owner. New package: owners and developers (the publisher becomes its maintainer).
 * Admins never publish: their right is managing people.
 */
export function decideOrgPublish(facts: OrgFacts, isMaintainer: boolean, packageExists: boolean, packageName: string): Decision {
  if (isMaintainer || facts.teamWrite || facts.actorRole === 'owner') return ALLOW;
  if (facts.actorRole === 'admin') {
    return deny('E_NOT_OWNER', `Admins of the @${facts.org} organization manage people and teams; they do not publish (${packageName}). Ask an owner to give you a team with read-write access.`);
  }
  if (!packageExists && facts.actorRole === 'developer') return ALLOW;
  if (facts.actorRole === 'developer') return deny('E_NOT_OWNER', `You are a member of @${facts.org} but not a maintainer of ${packageName}, and no team gives you write access to it.`);
  return deny('E_NOT_OWNER', `The scope @${facts.org} belongs to the ${facts.org} organization; you are not a member.`);
}

export type PeopleChange =
  | { readonly kind: 'org-member'; readonly targetUserId: number; readonly targetCurrentRole: OrgRole | null; readonly newRole: OrgRole | null }
  | { readonly kind: 'team'; readonly targetUserId: number | null }
  | { readonly kind: 'package-maintainers'; readonly targetUserIds: readonly number[] };

/**
 * Changing who may do what in an org: owners may do anything; admins may manage developers and
 * admins and teams, but not owners, and never widen their own rights (no self-grant). Developers
 * and publishers cannot change who may publish.
 */
export function decideOrgPeopleChange(actor: Actor, facts: OrgFacts, change: PeopleChange): Decision {
  const account = decideAccountWrite(actor, facts.org);
  if (!account.allow) return account;
  if (actor.kind !== 'user') return deny('E_AUTH_REQUIRED', 'You must be logged in to do this.');
  const role = facts.actorRole;
  if (role === 'owner') return ALLOW;
  if (role !== 'admin') {
    return deny('E_FORBIDDEN', `Only owners and admins of the @${facts.org} organization change its members, teams and package access.`);
  }
  const self = actor.user.id;
  switch (change.kind) {
    case 'org-member':
      if (change.targetCurrentRole === 'owner' || change.newRole === 'owner') return deny('E_FORBIDDEN', 'Only owners add, change or remove owners.');
      if (change.targetUserId === self && change.newRole !== null) return deny('E_FORBIDDEN', 'Admins cannot change their own role.');
      return ALLOW;
    case 'team':
      if (change.targetUserId === self) return deny('E_FORBIDDEN', 'Admins cannot add themselves to teams: that would give them publish rights.');
      return ALLOW;
    case 'package-maintainers':
      if (change.targetUserIds.includes(self)) return deny('E_FORBIDDEN', 'Admins cannot make themselves maintainers: that would give them publish rights.');
      return ALLOW;
  }
}

/** Seeing an org's members and teams: its members only. */
export function decideOrgRead(actor: Actor, role: OrgRole | null, org: string): Decision {
  if (actor.kind !== 'user') return deny('E_AUTH_REQUIRED', 'You must be logged in to see an organization.');
  if (role === null && !actor.user.isAdmin) return deny('E_FORBIDDEN', `You are not a member of @${org}.`);
  return ALLOW;
}
