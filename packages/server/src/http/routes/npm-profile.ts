import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../domain/json-object.js';
import type { RouteContext } from '../context.js';
import { writeActorOf } from '../write-actor.js';

/** `npm profile get|set|enable-2fa|disable-2fa` (npm-registry-api.md 4.2). */
export function registerNpmProfile(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/-/npm/v1/user', async (request, reply) =>
    reply.header('cache-control', 'no-store').send(await ctx.profile.get(await ctx.actorOf(request))));
  app.post('/-/npm/v1/user', async (request, reply) => {
    const body = request.body;
    const tfa = isJsonObject(body) && body.tfa !== undefined;
    // Turning the factor off needs that factor whatever mfa.required says (with the password, checked by the service).
    const removing = tfa && isJsonObject(body.tfa) && body.tfa.mode === 'disable';
    const intent = removing
      ? { action: 'tfa-remove' as const, what: 'turn off two-factor authentication' }
      : tfa ? { action: 'tfa' as const, what: 'change two-factor authentication' } : { action: 'profile' as const, what: 'change your profile' };
    const actor = await writeActorOf(ctx, request, intent);
    const result = await ctx.profile.post(actor, body, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    return reply.header('cache-control', 'no-store').send(result);
  });
}
