import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { parsePackagePath, pathBelow } from '../package-path.js';

const otpOf = (request: FastifyRequest): string | undefined => {
  const value = request.headers['npm-otp'];
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const clientOf = (request: FastifyRequest) => ({ ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') });

/** `npm stage publish|list|view|approve|reject|download` (npm-registry-api.md 5.3). */
export function registerStage(app: FastifyInstance, ctx: RouteContext): void {
  const noStore = { 'cache-control': 'no-store' };
  app.post('/-/stage/package/*', async (request, reply) => {
    const { name, rest } = parsePackagePath(pathBelow(request.url, ctx.basePath).slice('/-/stage/package'.length));
    if (rest.length > 0) throw new RegistryError('E_NOT_FOUND', 'Not found');
    return reply.code(201).headers(noStore).send(await ctx.stages.stage(await ctx.actorOf(request), name, request.body));
  });
  app.get<{ Querystring: { page?: string; perPage?: string; package?: string } }>('/-/stage', async (request, reply) => {
    const page = Math.max(0, Number.parseInt(request.query.page ?? '0', 10) || 0);
    const perPage = Math.min(100, Math.max(1, Number.parseInt(request.query.perPage ?? '100', 10) || 100));
    return reply.headers(noStore).send(await ctx.stages.list(await ctx.actorOf(request), request.query.package || null, page, perPage));
  });
  app.get<{ Params: { id: string } }>('/-/stage/:id', async (request, reply) =>
    reply.headers(noStore).send(await ctx.stages.view(await ctx.actorOf(request), request.params.id)));
  app.get<{ Params: { id: string } }>('/-/stage/:id/tarball', async (request, reply) =>
    reply.headers(noStore).type('application/octet-stream').send(Buffer.from(await ctx.stages.tarball(await ctx.actorOf(request), request.params.id))));
  app.post<{ Params: { id: string } }>('/-/stage/:id/approve', async (request, reply) =>
    reply.headers(noStore).send(await ctx.stages.approve(await ctx.actorOf(request), request.params.id, otpOf(request), clientOf(request))));
  app.delete<{ Params: { id: string } }>('/-/stage/:id', async (request, reply) => {
    await ctx.stages.reject(await ctx.actorOf(request), request.params.id, otpOf(request), clientOf(request));
    return reply.headers(noStore).send({});
  });
}
