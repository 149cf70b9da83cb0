import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import { parsePackageName } from '../../domain/package-name.js';
import type { RouteContext } from '../context.js';

export const UNPUBLISH_POLICY_PATH = '/-/bulwark/policies/unpublish';

/**
 * GEN-2a: the written unpublish and deletion policy (linked from every refusal), the rules in
 * force as JSON, and the facts the policy reads for one package (downloads, dependents).
 */
export function registerUnpublishPolicy(app: FastifyInstance, ctx: RouteContext): void {
  app.get(UNPUBLISH_POLICY_PATH, async (_request, reply) =>
    reply.type('text/markdown; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ctx.unpublishPolicy.text));
  app.get(`${UNPUBLISH_POLICY_PATH}.json`, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send({ ...ctx.unpublishPolicy.rules, nameQuarantineHours: ctx.unpublishPolicy.nameQuarantineHours }));
  // Like api.npmjs.org/downloads/point/last-week/{name}, plus the dependents the policy counts and
  // what the policy would answer now for unpublishing the package (or ?version=).
  app.get<{ Querystring: Record<string, string | undefined> }>('/-/bulwark/package-stats/*', async (request, reply) => {
    const raw = (request.params as { '*': string })['*'];
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new RegistryError('E_BAD_REQUEST', 'The package name is not valid percent-encoding.');
    }
    parsePackageName(name);
    const policyUrl = `${ctx.baseUrlOf(request)}${UNPUBLISH_POLICY_PATH}`;
    const [downloads, dependents, unpublish] = await Promise.all([
      ctx.stats.weeklyDownloads(name), ctx.stats.dependents(name, 20), ctx.unpublisher.preview(name, request.query.version ?? null, policyUrl),
    ]);
    return reply.header('cache-control', 'no-cache, max-age=0').send({
      package: name, weeklyDownloads: downloads, dependents: dependents.total, someDependents: dependents.names, unpublish,
    });
  });
}
