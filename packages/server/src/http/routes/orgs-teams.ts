import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import { isJsonObject } from '../../domain/json-object.js';
import type { TeamPermission } from '../../domain/organization.js';
import type { RouteContext } from '../context.js';
import { writeActorOf } from '../write-actor.js';

type OrgParams = { Params: { org: string } };
type TeamParams = { Params: { org: string; team: string } };

/** npm strips the "@" from scopes in these URLs; accept it either way. */
const bare = (scope: string): string => (scope.startsWith('@') ? scope.slice(1) : scope);

function field(request: FastifyRequest, key: string): string {
  const body = request.body;
  const value = isJsonObject(body) ? body[key] : undefined;
  if (typeof value !== 'string' || value === '') throw new RegistryError('E_BAD_REQUEST', `The body needs "${key}".`);
  return value;
}

function optionalField(request: FastifyRequest, key: string): string | null {
  const body = request.body;
  const value = isJsonObject(body) ? body[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `npm org`, `npm team` and the team parts of `npm access` (npm-registry-api.md 5.8, 5.9; AUTHZ-2a). */
export function registerOrgsTeams(app: FastifyInstance, ctx: RouteContext): void {
  const noStore = { 'cache-control': 'no-store' };

  app.get<OrgParams>('/-/org/:org/user', async (request, reply) =>
    reply.headers(noStore).send(await ctx.orgs.members(await ctx.actorOf(request), bare(request.params.org))));
  app.put<OrgParams>('/-/org/:org/user', async (request, reply) => {
    const result = await ctx.orgs.setMember(await writeActorOf(ctx, request, { action: 'org', what: `change members of @${bare(request.params.org)}` }), bare(request.params.org), field(request, 'user'), optionalField(request, 'role') ?? 'developer');
    return reply.headers(noStore).send(result);
  });
  app.delete<OrgParams>('/-/org/:org/user', async (request, reply) => {
    await ctx.orgs.removeMember(await writeActorOf(ctx, request, { action: 'org', what: `change members of @${bare(request.params.org)}` }), bare(request.params.org), field(request, 'user'));
    return reply.headers(noStore).send({});
  });

  app.get<OrgParams>('/-/org/:org/team', async (request, reply) =>
    reply.headers(noStore).send(await ctx.orgs.teams(await ctx.actorOf(request), bare(request.params.org))));
  app.put<OrgParams>('/-/org/:org/team', async (request, reply) => {
    const org = bare(request.params.org);
    const name = field(request, 'name');
    await ctx.orgs.createTeam(await writeActorOf(ctx, request, { action: 'team', what: `change teams of @${bare(request.params.org)}` }), org, name, optionalField(request, 'description'));
    return reply.code(201).headers(noStore).send({ name: `${org}:${name}` });
  });
  app.delete<TeamParams>('/-/team/:org/:team', async (request, reply) => {
    await ctx.orgs.destroyTeam(await writeActorOf(ctx, request, { action: 'team', what: `change teams of @${bare(request.params.org)}` }), bare(request.params.org), request.params.team);
    return reply.headers(noStore).send({});
  });

  app.get<TeamParams>('/-/team/:org/:team/user', async (request, reply) =>
    reply.headers(noStore).send(await ctx.orgs.teamMembers(await ctx.actorOf(request), bare(request.params.org), request.params.team)));
  app.put<TeamParams>('/-/team/:org/:team/user', async (request, reply) => {
    await ctx.orgs.setTeamMember(await writeActorOf(ctx, request, { action: 'team', what: `change teams of @${bare(request.params.org)}` }), bare(request.params.org), request.params.team, field(request, 'user'), true);
    return reply.code(201).headers(noStore).send({});
  });
  app.delete<TeamParams>('/-/team/:org/:team/user', async (request, reply) => {
    await ctx.orgs.setTeamMember(await writeActorOf(ctx, request, { action: 'team', what: `change teams of @${bare(request.params.org)}` }), bare(request.params.org), request.params.team, field(request, 'user'), false);
    return reply.headers(noStore).send({});
  });

  app.get<TeamParams>('/-/team/:org/:team/package', async (request, reply) =>
    reply.headers(noStore).send(await ctx.orgs.teamPackages(await ctx.actorOf(request), bare(request.params.org), request.params.team)));
  app.put<TeamParams>('/-/team/:org/:team/package', async (request, reply) => {
    const permission = field(request, 'permissions') as TeamPermission;
    await ctx.orgs.setTeamAccess(await writeActorOf(ctx, request, { action: 'access', what: `change team access in @${bare(request.params.org)}` }), bare(request.params.org), request.params.team, field(request, 'package'), permission);
    return reply.code(201).headers(noStore).send({});
  });
  app.delete<TeamParams>('/-/team/:org/:team/package', async (request, reply) => {
    await ctx.orgs.setTeamAccess(await writeActorOf(ctx, request, { action: 'access', what: `change team access in @${bare(request.params.org)}` }), bare(request.params.org), request.params.team, field(request, 'package'), null);
    return reply.headers(noStore).send({});
  });

  // `npm access list packages X`: an org's packages, or on 404 a user's.
  app.get<OrgParams>('/-/org/:org/package', async (request, reply) =>
    reply.headers(noStore).send(await ctx.orgs.orgPackages(await ctx.actorOf(request), bare(request.params.org))));
  app.get<{ Params: { user: string } }>('/-/user/:user/package', async (request, reply) =>
    reply.headers(noStore).send(await ctx.orgs.userPackages(request.params.user)));
}
