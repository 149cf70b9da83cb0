import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';

/** AUTHN-1b: the written account recovery policy (docs/account-recovery.md) at a stable URL. */
export function registerAccountRecoveryPolicy(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/-/bulwark/policies/account-recovery', async (_request, reply) =>
    reply.type('text/markdown; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ctx.webAuth.recoveryPolicy));
}
