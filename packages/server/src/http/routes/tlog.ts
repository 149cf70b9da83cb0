import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';

const MAX_PAGE = 1000;

function whole(raw: unknown, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new RegistryError('E_BAD_REQUEST', `${name} must be a non-negative integer.`);
  return Number(raw);
}

/**
 * GEN-3b: the transparency log's changes feed, `GET /-/tlog/entries?since=N&limit=M`: entries in
 * log order, with the log index as the sequence, so a mirror or monitor resumes from `next`.
 */
export function registerTransparencyLog(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/-/tlog/entries', async (request, reply) => {
    const since = whole(request.query.since, 'since', 0);
    const limit = Math.min(Math.max(whole(request.query.limit, 'limit', 100), 1), MAX_PAGE);
    const { entries, size } = await ctx.logFeed.entries(since, limit);
    const last = entries[entries.length - 1];
    return reply.header('cache-control', 'no-cache').send({
      size,
      entries: entries.map((e) => ({ index: e.index, time: e.time, ...e.event })),
      next: last ? last.index + 1 : Math.min(since, size),
    });
  });
}
