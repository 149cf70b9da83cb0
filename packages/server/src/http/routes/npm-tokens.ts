import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';
import { checkedWrite, writeActorOf } from '../write-actor.js';

/** `npm token list|create|revoke` (npm-registry-api.md 4.1). */
export function registerNpmTokens(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/-/npm/v1/tokens', async (request, reply) => {
    const objects = await ctx.tokens.list(await ctx.actorOf(request));
    // npm follows urls.next until it is falsy; a missing `urls` makes it throw.
    return reply.header('cache-control', 'no-store').send({ objects, total: objects.length, urls: { next: null } });
  });
  app.post('/-/npm/v1/tokens', async (request, reply) => {
    const body = request.body as { bypass_2fa?: unknown } | null;
    // An automation token needs a second factor at creation whatever the mode (issue 4).
    const alwaysNeedsFactor = body?.bypass_2fa === true;
    const { actor, factor } = await checkedWrite(ctx, request, { action: 'token-create', what: 'create an access token', alwaysNeedsFactor });
    const created = await ctx.tokens.create(actor, request.body, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, secondFactor: factor !== null });
    return reply.code(201).header('cache-control', 'no-store').send(created);
  });
  app.delete<{ Params: { key: string } }>('/-/npm/v1/tokens/token/:key', async (request, reply) => {
    await ctx.tokens.revoke(await writeActorOf(ctx, request, { action: 'token-revoke', what: 'revoke an access token' }), request.params.key);
    return reply.code(204).header('cache-control', 'no-store').send();
  });
}
