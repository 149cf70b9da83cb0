import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';
import { requireUser } from '../plugins/authenticate.js';

export function registerPingWhoami(app: FastifyInstance, ctx: RouteContext): void {
  // npm ping (npm-registry-api.md 3.4): any 2xx; the body is shown as "PONG details".
  app.get('/-/ping', async (_request, reply) => reply.header('cache-control', 'no-store').send({}));

  app.get('/-/whoami', async (request, reply) => {
    const actor = requireUser(await ctx.actorOf(request));
    return reply.header('cache-control', 'no-store').send({ username: actor.user.name });
  });
}
