import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';

/** GEN-1a: RFC 9116 security.txt and the disclosure policy it points to. */
export function registerSecurityPolicy(app: FastifyInstance, ctx: RouteContext, mounted: 'root' | 'base'): void {
  // At the host's root (RFC 9116) and, when mounted under a path, there too.
  if (mounted === 'root' || ctx.basePath) app.get('/.well-known/security.txt', async (request, reply) => {
    const base = ctx.baseUrlOf(request);
    const origin = mounted === 'root' ? base.slice(0, base.length - ctx.basePath.length) : base;
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ctx.securityContact.securityTxt(base, origin));
  });
  if (mounted === 'base') {
    app.get('/-/security/policy', async (_request, reply) =>
      reply.type('text/markdown; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ctx.securityContact.policyText));
  }
}
