import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';

/** `npm token list|create|revoke` (npm-registry-api.md 4.1). */
export function registerNpmTokens(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/-/npm/v1/tokens', async (request, reply) => {
    const objects = await ctx.tokens.list(await ctx.actorOf(request));
    // npm follows urls.next until it is falsy; a missing `urls` makes it throw.
    return reply.header('cache-control', 'no-store').send({ objects, total: objects.length, urls: { next: null } });
  });
  app.post('/-/npm/v1/tokens', async (request, reply) => {
    const created = await ctx.tokens.create(await ctx.actorOf(request), request.body);
    return reply.code(201).header('cache-control', 'no-store').send(created);
  });
  app.delete<{ Params: { key: string } }>('/-/npm/v1/tokens/token/:key', async (request, reply) => {
    await ctx.tokens.revoke(await ctx.actorOf(request), request.params.key);
    return reply.code(204).header('cache-control', 'no-store').send();
  });
}
