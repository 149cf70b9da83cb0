import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import { parsePackageName } from '../../domain/package-name.js';
import { TlogError, parseTilePath } from '../../domain/tlog/index.js';
import type { RouteContext } from '../context.js';

const MAX_PAGE = 1000;

function whole(raw: unknown, name: string, fallback?: number): number {
  if ((raw === undefined || raw === '') && fallback !== undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new RegistryError('E_BAD_REQUEST', `${name} must be a non-negative integer.`);
  return Number(raw);
}

/**
 * GEN-3b: the transparency log. The changes feed (log index as the sequence), the signed C2SP
 * checkpoint and the log's public key, inclusion and consistency proofs, and C2SP tlog-tiles.
 * Proof sizes must come from a checkpoint the client verified, never from these answers.
 */
export function registerTransparencyLog(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/-/tlog/entries', async (request, reply) => {
    const since = whole(request.query.since, 'since', 0);
    const limit = Math.min(Math.max(whole(request.query.limit, 'limit', 100), 1), MAX_PAGE);
    // Long poll: ?wait=S holds an empty answer up to S seconds (at most 60) for the next entry.
    const waitMs = Math.min(whole(request.query.wait, 'wait', 0), 60) * 1000;
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    const { entries, size } = await ctx.tlog.entries(since, limit, waitMs, gone.signal);
    const last = entries[entries.length - 1];
    return reply.header('cache-control', 'no-cache').send({
      size,
      entries: entries.map((e) => ({ index: e.index, time: e.time, ...e.event })),
      next: last ? last.index + 1 : Math.min(since, size),
    });
  });

  app.get('/-/tlog/checkpoint', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(await ctx.tlog.checkpoint()));

  // A witness posts the served checkpoint back with its cosignature line(s) added.
  app.post('/-/tlog/cosignatures', async (request, reply) => {
    if (typeof request.body !== 'string') throw new RegistryError('E_UNSUPPORTED_MEDIA_TYPE', 'Send the cosigned checkpoint note as text/plain.');
    const accepted = await ctx.tlog.addCosignatures(request.body);
    return reply.header('cache-control', 'no-store').send({ ok: true, accepted });
  });

  app.get('/-/tlog/key', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(`${ctx.tlog.verifierKey}\n`));

  // By index, or by name@version (the version-published entry), for a tree size the client holds.
  app.get<{ Querystring: Record<string, string | undefined> }>('/-/tlog/proof/inclusion', async (request, reply) => {
    const size = whole(request.query.size, 'size');
    let index: number;
    if (request.query.name !== undefined) {
      const name = parsePackageName(String(request.query.name)).name;
      index = await ctx.reads.logIndexOf(name, String(request.query.version ?? ''));
    } else {
      index = whole(request.query.index, 'index');
    }
    const proof = await ctx.tlog.inclusionProof(index, size);
    return reply.header('cache-control', 'public, max-age=31536000, immutable').send({ index, size, proof });
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/-/tlog/proof/consistency', async (request, reply) => {
    const oldSize = whole(request.query.old, 'old');
    const newSize = whole(request.query.new, 'new');
    const proof = await ctx.tlog.consistencyProof(oldSize, newSize);
    return reply.header('cache-control', 'public, max-age=31536000, immutable').send({ old: oldSize, new: newSize, proof });
  });

  app.get('/-/tlog/tile/*', async (request, reply) => {
    const raw = (request.params as { '*': string })['*'];
    let path;
    try {
      path = parseTilePath(`tile/${raw}`);
    } catch (err) {
      if (err instanceof TlogError) throw new RegistryError('E_NOT_FOUND', `Not a tile path: ${err.message}`);
      throw err;
    }
    const bytes = path.kind === 'hashes' ? await ctx.tlog.hashTile(path.tile) : await ctx.tlog.entryBundle(path.index, path.width);
    // A tile path names fixed content (a wider partial tile has another path): cache forever.
    return reply
      .type('application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(Buffer.from(bytes));
  });
}
