import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { parsePackagePath, pathBelow } from '../package-path.js';

const PREFIX = '/-/npm/v1/oidc/token/exchange/package';

/**
 * npm's trusted-publishing exchange (npm-registry-api.md 5.2): the CI's ID token as a Bearer
 * credential and an empty body; answers `{token}`. The ID token is not a registry credential, so
 * this route reads the header itself instead of resolving an actor.
 */
export function registerOidcExchange(app: FastifyInstance, ctx: RouteContext): void {
  app.post(`${PREFIX}/*`, async (request, reply) => {
    const { name, rest } = parsePackagePath(pathBelow(request.url, ctx.basePath).slice(PREFIX.length));
    if (rest.length > 0) throw new RegistryError('E_NOT_FOUND', 'Not found');
    const header = request.headers.authorization ?? '';
    if (!header.toLowerCase().startsWith('bearer ')) throw new RegistryError('E_AUTH_REQUIRED', 'Send the CI provider\'s ID token as a Bearer credential.');
    const host = new URL(ctx.baseUrlOf(request)).hostname.replace(/^\[|\]$/g, '');
    const result = await ctx.trust.exchange(header.slice(7).trim(), name, host);
    return reply.code(201).header('cache-control', 'no-store').send(result);
  });
}
