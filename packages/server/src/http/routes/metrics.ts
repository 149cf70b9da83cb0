import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';

/** Prometheus scrape endpoint. */
export function registerMetrics(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/-/metrics', async (_request, reply) =>
    reply.type(ctx.metrics.contentType).header('cache-control', 'no-store').send(await ctx.metrics.metrics()));
}
