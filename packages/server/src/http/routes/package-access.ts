import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import { isJsonObject } from '../../domain/json-object.js';
import type { RouteContext } from '../context.js';
import { writeActorOf } from '../write-actor.js';

/** `npm access get status` and `npm access list collaborators` (npm-registry-api.md 5.8). */
export async function packageAccessRead(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply, name: string, resource: string): Promise<FastifyReply> {
  reply.header('cache-control', 'no-store');
  if (resource === 'visibility') {
    await ctx.reads.distTags(await ctx.actorOf(request), name); // 404 for an unknown package
    // Every package on this registry is public; restricted packages are not offered yet.
    return reply.send({ public: true });
  }
  return reply.send(await ctx.orgs.collaborators(name));
}

/**
 * `npm access set status=…` and `set mfa=…`. Only `public` is accepted: the registry has no
 * restricted packages, and saying so beats pretending a package became private.
 */
export async function packageAccessWrite(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply, name: string): Promise<FastifyReply> {
  const body = request.body;
  if (!isJsonObject(body)) throw new RegistryError('E_BAD_REQUEST', 'The body must be a JSON object.');
  await ctx.reads.distTags(await writeActorOf(ctx, request, { action: 'access', packageName: name, what: `change access of ${name}` }), name);
  if (body.access === 'public') return reply.send({ access: 'public' });
  if (body.access === 'restricted') throw new RegistryError('E_BAD_REQUEST', 'Restricted (private) packages are not offered by this registry; every package is public.');
  throw new RegistryError('E_BAD_REQUEST', 'Per-package settings other than access=public are not offered yet on this endpoint.');
}
