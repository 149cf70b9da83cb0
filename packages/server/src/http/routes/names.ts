import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';

/**
 * GEN-1b, "say it before publish": would a new package of this name be accepted? The same
 * decider as publish. Anonymous callers get the general answer; a logged-in caller's answer
 * applies their exemptions (packages they maintain). docs/name-policy.md documents the body.
 */
export function registerNames(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/-/bulwark/v1/names/availability', async (request, reply) => {
    const name = request.query.name;
    if (typeof name !== 'string' || name === '') throw new RegistryError('E_BAD_REQUEST', 'Pass the package name as ?name=.');
    const answer = await ctx.names.check(name, await ctx.actorOf(request));
    return reply.header('cache-control', 'no-store').send(answer);
  });
}
