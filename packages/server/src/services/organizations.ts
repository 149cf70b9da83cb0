import type { Actor } from '../domain/actor.js';
import { RegistryError } from '../domain/errors.js';
import { ORG_NAME, ORG_ROLES, type OrgRole, type TeamPermission } from '../domain/organization.js';
import { parsePackageName } from '../domain/package-name.js';
import type { Clock, MetadataOps, MetadataStore } from '../domain/ports.js';
import { enforce } from '../policy/decision.js';
import { decideOrgPeopleChange, decideOrgRead, type PeopleChange } from '../policy/org-roles.js';
import { orgFactsFor } from './org-facts.js';
import { recordEvent } from './transparency-log.js';

function checkName(kind: 'organization' | 'team', name: string): string {
  if (!ORG_NAME.test(name)) throw new RegistryError('E_BAD_REQUEST', `"${name.slice(0, 60)}" is not a valid ${kind} name (lower-case letters, digits, ".", "_", "-").`);
  return name;
}

function actorName(actor: Actor): string {
  return actor.kind === 'user' ? actor.user.name : 'anonymous';
}

/**
 * Organizations, their members and teams, and team access to packages (AUTHZ-2a), behind npm's
 * `npm org`, `npm team` and `npm access` endpoints. Every change is authorized by
 * policy/org-roles.ts and recorded in the transparency log.
 */
export class Organizations {
  constructor(private readonly deps: { store: MetadataStore; clock: Clock }) {}

  /** Operator command: creates an org for a scope nobody else holds, with its first owner. */
  async create(org: string, ownerName: string): Promise<void> {
    checkName('organization', org);
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      const owner = await tx.findUserByName(ownerName);
      if (!owner) throw new RegistryError('E_USER_NOT_FOUND', `No user named "${ownerName.slice(0, 80)}".`);
      const holder = await tx.findScopeOwner(org);
      const namesake = await tx.findUserByName(org);
      if ((holder !== null && holder !== owner.id) || (namesake && namesake.id !== owner.id)) {
        throw new RegistryError('E_FORBIDDEN', `The scope @${org} belongs to another user; only that user can become the owner of an organization of that name.`);
      }
      await tx.insertOrg(org, now);
      await tx.setOrgMember(org, owner.id, 'owner', now);
      await tx.claimScope(org, owner.id);
      await recordEvent(tx, { type: 'org-member-changed', org, user: owner.name, role: 'owner', actor: 'operator' }, now);
    });
  }

  private async requireOrg(tx: MetadataOps, org: string): Promise<void> {
    if (!(await tx.orgExists(org))) throw new RegistryError('E_ORG_NOT_FOUND', `No organization named ${org.slice(0, 80)}.`);
  }

  private async requireTeam(tx: MetadataOps, org: string, team: string): Promise<void> {
    await this.requireOrg(tx, org);
    if (!(await tx.listTeams(org)).some((t) => t.name === team)) throw new RegistryError('E_TEAM_NOT_FOUND', `No team ${org}:${team.slice(0, 80)}.`);
  }

  private async requireUser(tx: MetadataOps, name: string) {
    const user = await tx.findUserByName(name);
    if (!user) throw new RegistryError('E_USER_NOT_FOUND', `No user named "${name.slice(0, 80)}".`);
    return user;
  }

  private async authorize(tx: MetadataOps, actor: Actor, org: string, change: PeopleChange): Promise<void> {
    const facts = await orgFactsFor(tx, `@${org}/x`, actor.kind === 'user' ? actor.user.id : null);
    enforce(decideOrgPeopleChange(actor, facts ?? { org, actorRole: null, teamWrite: false }, change));
  }

  private async authorizeRead(actor: Actor, org: string): Promise<void> {
    const store = this.deps.store;
    await this.requireOrg(store, org);
    const role = actor.kind === 'user' ? await store.findOrgRole(org, actor.user.id) : null;
    enforce(decideOrgRead(actor, role, org));
  }

  /** `npm org set ORG USER [ROLE]`. */
  async setMember(actor: Actor, org: string, userName: string, role: string): Promise<{ org: { name: string; size: number }; user: string; role: OrgRole }> {
    if (!ORG_ROLES.includes(role as OrgRole)) throw new RegistryError('E_BAD_REQUEST', `Role must be one of ${ORG_ROLES.join(', ')}.`);
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx) => {
      await this.requireOrg(tx, org);
      const user = await this.requireUser(tx, userName);
      const current = await tx.findOrgRole(org, user.id);
      await this.authorize(tx, actor, org, { kind: 'org-member', targetUserId: user.id, targetCurrentRole: current, newRole: role as OrgRole });
      if (current === 'owner' && role !== 'owner') await this.keepAnOwner(tx, org, user.id);
      await tx.setOrgMember(org, user.id, role as OrgRole, now);
      if (current !== role) await recordEvent(tx, { type: 'org-member-changed', org, user: user.name, role, actor: actorName(actor) }, now);
      return { org: { name: org, size: (await tx.listOrgMembers(org)).length }, user: user.name, role: role as OrgRole };
    });
  }

  private async keepAnOwner(tx: MetadataOps, org: string, leavingUserId: number): Promise<void> {
    const owners = (await tx.listOrgMembers(org)).filter((m) => m.role === 'owner' && m.userId !== leavingUserId);
    if (owners.length === 0) throw new RegistryError('E_FORBIDDEN', `@${org} must keep at least one owner.`);
  }

  /** `npm org rm ORG USER`. */
  async removeMember(actor: Actor, org: string, userName: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      await this.requireOrg(tx, org);
      const user = await this.requireUser(tx, userName);
      const current = await tx.findOrgRole(org, user.id);
      if (current === null) throw new RegistryError('E_USER_NOT_FOUND', `${user.name} is not a member of @${org}.`);
      await this.authorize(tx, actor, org, { kind: 'org-member', targetUserId: user.id, targetCurrentRole: current, newRole: null });
      if (current === 'owner') await this.keepAnOwner(tx, org, user.id);
      await tx.removeOrgMember(org, user.id);
      await recordEvent(tx, { type: 'org-member-changed', org, user: user.name, role: null, actor: actorName(actor) }, now);
    });
  }

  /** `npm org ls ORG`: `{user: role}`. */
  async members(actor: Actor, org: string): Promise<Record<string, OrgRole>> {
    await this.authorizeRead(actor, org);
    return Object.fromEntries((await this.deps.store.listOrgMembers(org)).map((m) => [m.userName, m.role]));
  }

  async createTeam(actor: Actor, org: string, team: string, description: string | null): Promise<void> {
    checkName('team', team);
    await this.deps.store.transaction(async (tx) => {
      await this.requireOrg(tx, org);
      await this.authorize(tx, actor, org, { kind: 'team', targetUserId: null });
      await tx.insertTeam({ org, name: team, description: description?.slice(0, 500) ?? null }, this.deps.clock.now());
    });
  }

  async destroyTeam(actor: Actor, org: string, team: string): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      await this.requireTeam(tx, org, team);
      await this.authorize(tx, actor, org, { kind: 'team', targetUserId: null });
      for (const grant of await tx.listTeamGrants(org, team)) {
        await recordEvent(tx, { type: 'team-access-changed', org, team, name: grant.packageName, permission: null, actor: actorName(actor) }, this.deps.clock.now());
      }
      await tx.deleteTeam(org, team);
    });
  }

  /** `npm team ls ORG`: `["org:team", ...]`. */
  async teams(actor: Actor, org: string): Promise<string[]> {
    await this.authorizeRead(actor, org);
    return (await this.deps.store.listTeams(org)).map((t) => `${org}:${t.name}`);
  }

  async setTeamMember(actor: Actor, org: string, team: string, userName: string, member: boolean): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      await this.requireTeam(tx, org, team);
      const user = await this.requireUser(tx, userName);
      await this.authorize(tx, actor, org, { kind: 'team', targetUserId: member ? user.id : null });
      if (member) {
        if ((await tx.findOrgRole(org, user.id)) === null) throw new RegistryError('E_FORBIDDEN', `${user.name} is not a member of @${org}; add them to the organization first.`);
        await tx.addTeamMember(org, team, user.id);
      } else if (!(await tx.removeTeamMember(org, team, user.id))) {
        throw new RegistryError('E_USER_NOT_FOUND', `${user.name} is not on ${org}:${team}.`);
      }
      await recordEvent(tx, { type: 'team-member-changed', org, team, user: user.name, member, actor: actorName(actor) }, now);
    });
  }

  /** `npm team ls ORG:TEAM`. */
  async teamMembers(actor: Actor, org: string, team: string): Promise<string[]> {
    await this.authorizeRead(actor, org);
    await this.requireTeam(this.deps.store, org, team);
    return this.deps.store.listTeamMembers(org, team);
  }

  /** `npm access grant|revoke`: a team's permission on one of the org's packages. */
  async setTeamAccess(actor: Actor, org: string, team: string, packageName: string, permission: TeamPermission | null): Promise<void> {
    const pkg = parsePackageName(packageName);
    if (pkg.scope !== org) throw new RegistryError('E_FORBIDDEN', `${packageName} is not in the @${org} scope; teams get access only to their organization's packages.`);
    if (permission !== null && permission !== 'read-only' && permission !== 'read-write') throw new RegistryError('E_BAD_REQUEST', 'permissions must be read-only or read-write.');
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      await this.requireTeam(tx, org, team);
      if (!(await tx.findPackage(packageName))) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${packageName}`);
      await this.authorize(tx, actor, org, { kind: 'team', targetUserId: null });
      if (permission === null) {
        if (!(await tx.removeTeamGrant(org, team, packageName))) return;
      } else {
        await tx.setTeamGrant({ org, team, packageName, permission });
      }
      await recordEvent(tx, { type: 'team-access-changed', org, team, name: packageName, permission, actor: actorName(actor) }, now);
    });
  }

  /** `npm access list packages ORG:TEAM`. */
  async teamPackages(actor: Actor, org: string, team: string): Promise<Record<string, 'read' | 'write'>> {
    await this.authorizeRead(actor, org);
    await this.requireTeam(this.deps.store, org, team);
    const grants = await this.deps.store.listTeamGrants(org, team);
    return Object.fromEntries(grants.map((g) => [g.packageName, g.permission === 'read-write' ? 'write' : 'read']));
  }

  /** `npm access list packages ORG` (404 when ORG is no org: npm then asks for a user's packages). */
  async orgPackages(actor: Actor, org: string): Promise<Record<string, 'read' | 'write'>> {
    const store = this.deps.store;
    await this.requireOrg(store, org);
    const names = await store.listScopePackages(org);
    const userId = actor.kind === 'user' ? actor.user.id : null;
    const result: Record<string, 'read' | 'write'> = {};
    for (const name of names) {
      const facts = await orgFactsFor(store, name, userId);
      const maintains = userId !== null && (await store.listMaintainers(name)).some((m) => m.userId === userId);
      result[name] = maintains || facts?.teamWrite || facts?.actorRole === 'owner' ? 'write' : 'read';
    }
    return result;
  }

  /** `npm access list packages USER`: what the user maintains. */
  async userPackages(userName: string): Promise<Record<string, 'write'>> {
    const user = await this.requireUser(this.deps.store, userName);
    return Object.fromEntries((await this.deps.store.listMaintainedPackages(user.id)).map((n) => [n, 'write' as const]));
  }

  /** `npm access list collaborators PKG`: maintainers and team members with their access. */
  async collaborators(packageName: string): Promise<Record<string, 'read' | 'write'>> {
    const store = this.deps.store;
    if (!(await store.findPackage(packageName))) throw new RegistryError('E_PKG_NOT_FOUND', `Not found: ${packageName}`);
    const result: Record<string, 'read' | 'write'> = {};
    for (const grant of await store.listPackageGrants(packageName)) {
      for (const member of await store.listTeamMembers(grant.org, grant.team)) {
        if (result[member] !== 'write') result[member] = grant.permission === 'read-write' ? 'write' : 'read';
      }
    }
    for (const m of await store.listMaintainers(packageName)) result[m.name] = 'write';
    return result;
  }
}
