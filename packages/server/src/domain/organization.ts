/**
 * Organizations (AUTHZ-2a): an org owns the npm scope of its name. Roles separate managing people
 * from publishing: owners do both, admins manage members and teams but do not publish,
 * developers ("members") publish only what they maintain or what a team lets them write.
 */
export type OrgRole = 'owner' | 'admin' | 'developer';
export type TeamPermission = 'read-only' | 'read-write';

export const ORG_ROLES: readonly OrgRole[] = ['owner', 'admin', 'developer'];

export interface OrgMemberRecord {
  readonly org: string;
  readonly userId: number;
  readonly userName: string;
  readonly role: OrgRole;
}

export interface TeamRecord {
  readonly org: string;
  readonly name: string;
  readonly description: string | null;
}

export interface TeamGrantRecord {
  readonly org: string;
  readonly team: string;
  readonly packageName: string;
  readonly permission: TeamPermission;
}

/** What a write decision needs to know about the package's org and the actor's place in it. */
export interface OrgFacts {
  readonly org: string;
  /** The actor's role in the org, or null when not a member. */
  readonly actorRole: OrgRole | null;
  /** The actor is on a team with read-write on this package. */
  readonly teamWrite: boolean;
}

/** Org and team names: npm's scope rules (lower case, URL-safe), teams the same. */
export const ORG_NAME = /^[a-z0-9][a-z0-9._-]{0,213}$/;
