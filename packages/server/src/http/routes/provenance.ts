import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import { attestationsPath } from '../../domain/packument.js';
import type { RouteContext } from '../context.js';

/** `@scope/name@1.0.0`, `@scope%2fname@1.0.0` or `name@1.0.0` -> name and version. */
function nameAtVersion(raw: string): { name: string; version: string } {
  let spec: string;
  try {
    spec = decodeURIComponent(raw);
  } catch {
    throw new RegistryError('E_BAD_REQUEST', 'The package spec is not valid percent-encoding.');
  }
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) throw new RegistryError('E_BAD_REQUEST', 'Expected NAME@VERSION.');
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

/**
 * AUTHZ-3c: registry keys, attestations (npm's endpoint and Bulwark's full one) and the JSON the
 * web UI's provenance panel shows.
 */
export function registerProvenance(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/-/npm/v1/keys', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(ctx.provenance.keys()));

  app.get<{ Params: { '*': string } }>('/-/npm/v1/attestations/*', async (request, reply) => {
    const { name, version } = nameAtVersion(request.params['*']);
    return reply.header('cache-control', 'public, max-age=300').send(await ctx.provenance.attestations(await ctx.actorOf(request), name, version));
  });

  // Every attestation, Bulwark's publish attestation included (bulwark verify reads this one).
  app.get<{ Params: { '*': string } }>('/-/bulwark/v1/attestations/*', async (request, reply) => {
    const { name, version } = nameAtVersion(request.params['*']);
    return reply.header('cache-control', 'public, max-age=300').send(await ctx.provenance.attestations(await ctx.actorOf(request), name, version, true));
  });

  app.get<{ Params: { '*': string } }>('/-/bulwark/v1/provenance/*', async (request, reply) => {
    const { name, version } = nameAtVersion(request.params['*']);
    const url = `${ctx.baseUrlOf(request)}${attestationsPath(name, version)}`;
    return reply.header('cache-control', 'no-cache').send(await ctx.provenance.panel(await ctx.actorOf(request), name, version, url));
  });
}
