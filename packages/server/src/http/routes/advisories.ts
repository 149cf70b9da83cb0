import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import { parseAdvisoryInput } from '../../services/advisories/index.js';
import type { RouteContext } from '../context.js';
import { parsePackagePath, pathBelow } from '../package-path.js';

/** A 1,000-package tree is ~40 KiB of JSON; this leaves room for monorepos and caps a gzip bomb. */
const AUDIT_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * npm sends the bulk audit body gzipped (`gzip: true` in @npmcli/arborist's audit-report). Fastify
 * does not inflate request bodies, so this does, counting the encoded bytes for the
 * Content-Length check; the inflated size is capped by the route's bodyLimit.
 */
async function inflateRequest(request: FastifyRequest, _reply: unknown, payload: NodeJS.ReadableStream) {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return payload;
  if (encoding !== 'gzip' && encoding !== 'deflate') throw new RegistryError('E_UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding.slice(0, 40)} is not supported; send gzip or none.`);
  const inflate = (encoding === 'gzip' ? createGunzip() : createInflate()) as unknown as Transform & { receivedEncodedLength: number };
  inflate.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    inflate.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (err) => inflate.destroy(err));
  return payload.pipe(inflate);
}

function pathAfter(request: FastifyRequest, ctx: RouteContext, prefix: string): string {
  return pathBelow(request.url, ctx.basePath).slice(prefix.length);
}

const FOR_PREFIX = '/-/bulwark/v1/advisories/for';
const PACKAGE_PREFIX = '/-/bulwark/v1/advisories/package';

/**
 * GEN-2d / CLI-2a: npm's bulk audit endpoint, the OSV API (osv.dev's v1 shape), the JSON API for
 * advisories written by maintainers, and the JSON the web UI's pages read.
 */
export function registerAdvisories(app: FastifyInstance, ctx: RouteContext): void {
  // npm audit / npm install. Anonymous: advisories are public; a token npm sends is not needed.
  app.post('/-/npm/v1/security/advisories/bulk', { bodyLimit: AUDIT_BODY_LIMIT, preParsing: inflateRequest }, async (request, reply) => {
    const result = await ctx.advisories.audit.bulk(request.body, ctx.baseUrlOf(request));
    return reply.header('cache-control', 'no-store').send(result);
  });

  // The OSV API.
  app.post('/v1/query', async (request) => ctx.advisories.osv.query(request.body));
  app.post('/v1/querybatch', { bodyLimit: AUDIT_BODY_LIMIT, preParsing: inflateRequest }, async (request) => ctx.advisories.osv.queryBatch(request.body));
  app.get('/v1/vulns/:id', async (request, reply) => {
    const record = await ctx.advisories.osv.vuln((request.params as { id: string }).id);
    return reply.header('cache-control', 'public, max-age=300').send(record);
  });

  // Advisories written here: create (draft), read, update, publish.
  app.post('/-/bulwark/v1/advisories', async (request, reply) => {
    const actor = await ctx.actorOf(request);
    const created = await ctx.advisories.authoring.create(actor, parseAdvisoryInput(request.body));
    return reply.code(201).send(created);
  });
  app.get('/-/bulwark/v1/advisories/:id', async (request) => {
    const { id } = request.params as { id: string };
    const actor = await ctx.actorOf(request);
    // Authors see drafts; everyone sees published advisories (by id or alias).
    if (actor.kind === 'user') {
      try {
        return await ctx.advisories.authoring.get(actor, id);
      } catch (err) {
        if (!(err instanceof RegistryError) || !['E_ADVISORY_NOT_FOUND', 'E_NOT_OWNER', 'E_TOKEN_SCOPE', 'E_PKG_NOT_FOUND'].includes(err.code)) throw err;
      }
    }
    return ctx.advisories.reports.advisory(id);
  });
  const update = async (request: FastifyRequest) => {
    const actor = await ctx.actorOf(request);
    return ctx.advisories.authoring.update(actor, (request.params as { id: string }).id, parseAdvisoryInput(request.body));
  };
  app.patch('/-/bulwark/v1/advisories/:id', update);
  app.put('/-/bulwark/v1/advisories/:id', update);
  app.post('/-/bulwark/v1/advisories/:id/publish', async (request) => {
    const actor = await ctx.actorOf(request);
    return ctx.advisories.authoring.publish(actor, (request.params as { id: string }).id);
  });

  // What the web UI shows: a version's advisories and its dependency tree's; a package's list; list badges.
  app.get(`${FOR_PREFIX}/*`, async (request) => {
    const { name, rest } = parsePackagePath(pathAfter(request, ctx, FOR_PREFIX));
    if (rest.length !== 1) throw new RegistryError('E_NOT_FOUND', `Use ${FOR_PREFIX}/NAME/VERSION.`);
    const actor = await ctx.actorOf(request);
    return ctx.advisories.reports.forVersion(actor, name, rest[0]!, ctx.baseUrlOf(request));
  });
  app.get(`${PACKAGE_PREFIX}/*`, async (request) => {
    const { name, rest } = parsePackagePath(pathAfter(request, ctx, PACKAGE_PREFIX));
    if (rest.length !== 0) throw new RegistryError('E_NOT_FOUND', `Use ${PACKAGE_PREFIX}/NAME.`);
    const actor = await ctx.actorOf(request);
    const [advisories, written] = await Promise.all([
      ctx.advisories.reports.forPackage(name, ctx.baseUrlOf(request)),
      ctx.advisories.authoring.listForPackage(actor, name),
    ]);
    return { name, advisories, written };
  });
  app.post('/-/bulwark/v1/advisories/flags', async (request) => {
    const body = request.body as { names?: unknown } | null;
    const names = body?.names;
    if (!Array.isArray(names) || names.length > 1000 || !names.every((n) => typeof n === 'string')) {
      throw new RegistryError('E_BAD_REQUEST', 'Send {"names": [...]} with at most 1000 package names.');
    }
    return ctx.advisories.reports.flags(names as string[]);
  });
}
