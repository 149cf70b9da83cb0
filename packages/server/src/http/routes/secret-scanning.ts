import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';

/**
 * AUTHZ-3b: secret scanners report leaked tokens here (GitHub's partner protocol). The signature
 * covers the exact bytes sent, so this context keeps the body raw instead of parsing JSON.
 */
export async function registerSecretScanning(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
    raw.post<{ Params: { provider: string } }>('/-/bulwark/v1/secret-scanning/:provider', async (request, reply) => {
      const header = (name: string): string | undefined => {
        const value = request.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const verdicts = await ctx.secretScanning.report(
        request.params.provider,
        header('github-public-key-identifier') ?? header('x-public-key-identifier'),
        header('github-public-key-signature') ?? header('x-public-key-signature'),
        Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      );
      return reply.header('cache-control', 'no-store').send(verdicts);
    });
  });
}
