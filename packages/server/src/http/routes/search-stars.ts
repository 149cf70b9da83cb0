import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';

function intParam(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new RegistryError('E_BAD_REQUEST', 'size and from must be non-negative integers.');
  return Math.min(n, max);
}

/** `npm search` (npm-registry-api.md 6) and `npm stars` (5.10). */
export function registerSearchStars(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: Record<string, string> }>('/-/v1/search', async (request, reply) => {
    const text = String(request.query.text ?? '').slice(0, 256);
    const size = intParam(request.query.size, 20, 250);
    const from = intParam(request.query.from, 0, 10_000);
    const { hits, total } = await ctx.reads.search(text, size, from);
    const objects = hits.map((hit) => {
      const doc = JSON.parse(hit.fullDoc) as Record<string, any>;
      const latest = doc['dist-tags']?.latest as string | undefined;
      const version = (latest && doc.versions?.[latest]) || {};
      const maintainers = ((doc.maintainers ?? []) as Array<{ name: string; email: string }>).map((m) => ({ username: m.name, email: m.email }));
      return {
        package: {
          name: hit.name,
          version: latest ?? '',
          description: version.description ?? doc.description ?? '',
          keywords: Array.isArray(version.keywords) ? version.keywords : [],
          date: hit.modifiedAt.toISOString(),
          publisher: version._npmUser ? { username: version._npmUser.name, email: version._npmUser.email } : maintainers[0] ?? { username: '', email: '' },
          maintainers,
          links: { npm: `${ctx.baseUrlOf(request)}/${hit.name}` },
        },
        score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 1 } },
        searchScore: 1,
      };
    });
    return reply.header('cache-control', 'no-store').send({ objects, total, time: new Date().toUTCString() });
  });

  app.get<{ Querystring: { key?: string } }>('/-/_view/starredByUser', async (request, reply) => {
    let user: unknown;
    try {
      user = JSON.parse(request.query.key ?? '');
    } catch {
      throw new RegistryError('E_BAD_REQUEST', 'key must be a JSON string: ?key="name".');
    }
    if (typeof user !== 'string') throw new RegistryError('E_BAD_REQUEST', 'key must be a JSON string: ?key="name".');
    const names = await ctx.reads.starredBy(user);
    return reply.header('cache-control', 'no-store').send({ rows: names.map((name) => ({ value: name })) });
  });
}
