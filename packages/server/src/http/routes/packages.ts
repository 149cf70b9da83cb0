import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import semver from 'semver';
import { RegistryError } from '../../domain/errors.js';
import type { RenderedDocument } from '../../services/packument-cache.js';
import { packageNotFound } from '../../services/package-reads.js';
import { sendError } from '../plugins/error-mapper.js';
import type { RouteContext } from '../context.js';
import { writeActorOf } from '../write-actor.js';
import { packageAccessRead, packageAccessWrite } from './package-access.js';
import { parsePackagePath, pathBelow } from '../package-path.js';
import { UNPUBLISH_POLICY_PATH } from './unpublish-policy.js';

const CORGI = 'application/vnd.npm.install-v1+json';
const IMMUTABLE = 'public, max-age=31536000, immutable';
// Always revalidate: a deprecation or takedown must reach the next install (ETag makes it cheap).
const REVALIDATE = 'public, max-age=0, must-revalidate';

function wantsGzip(request: FastifyRequest): boolean {
  const accept = request.headers['accept-encoding'];
  return typeof accept === 'string' && accept.includes('gzip');
}

function sendDocument(request: FastifyRequest, reply: FastifyReply, doc: RenderedDocument, contentType: string, cacheControl: string): FastifyReply {
  if (request.headers['if-none-match'] === doc.etag) {
    return reply.code(304).headers({ etag: doc.etag, vary: 'Accept, Accept-Encoding', 'cache-control': cacheControl }).send();
  }
  const gzip = wantsGzip(request);
  reply.headers({
    etag: doc.etag,
    'last-modified': doc.lastModified,
    vary: 'Accept, Accept-Encoding',
    'cache-control': cacheControl,
    'content-type': contentType,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  return reply.send(gzip ? doc.gzip : doc.body);
}

/**
 * Everything addressed by a package name: documents, versions, tarballs, publish and document
 * updates (npm-registry-api.md 2, 5). One catch-all route, because scoped names arrive as
 * `@s%2fp` or `@s/p` and the router must not split them.
 */
export function registerPackages(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/*', { config: { hotPath: true } }, async (request, reply) => {
    const { name, rest } = parsePackagePath(pathBelow(request.url, ctx.basePath));
    const actor = ctx.quickActorOf(request) ?? (await ctx.actorOf(request));
    const query = request.query as Record<string, string | undefined>;
    if (rest.length === 0) {
      const write = query.write === 'true';
      const abbreviated = !write && (request.headers.accept ?? '').includes(CORGI);
      const baseUrl = ctx.baseUrlOf(request);
      // Hot path: a cached document is sent without awaiting anything.
      const doc = ctx.reads.peekPackument(actor, name, baseUrl, abbreviated) ?? (await ctx.reads.findPackument(actor, name, baseUrl, abbreviated));
      // npm probes names: answer the 404 here rather than through Fastify's error path.
      if (!doc) return sendError(reply, packageNotFound(name));
      // GEN-2a: a deleted name's tombstone. npm view reads time.unpublished from a 200 full
      // document ("Unpublished on ..."); installs (abbreviated) get a 404 that says why.
      if (doc.unpublished) {
        if (abbreviated) reply.code(404);
        return sendDocument(request, reply, doc, 'application/json; charset=utf-8', 'no-cache, max-age=0');
      }
      return sendDocument(request, reply, doc, abbreviated ? `${CORGI}; charset=utf-8` : 'application/json; charset=utf-8', write ? 'no-store' : REVALIDATE);
    }
    if (rest.length === 2 && rest[0] === '-') {
      const hit = ctx.reads.peekTarball(actor, name, rest[1]!) ?? (await ctx.reads.tarball(actor, name, rest[1]!));
      const etag = `"${hit.blobKey.slice(0, 32)}"`;
      if (request.headers['if-none-match'] === etag) return reply.code(304).headers({ etag, 'cache-control': IMMUTABLE }).send();
      ctx.downloads.record(name);
      return reply.headers({ etag, 'cache-control': IMMUTABLE, 'content-type': 'application/octet-stream' }).send(hit.data);
    }
    if (rest.length === 1) {
      // GET /{name}/{version|tag}: one version's manifest.
      const doc = JSON.parse((await ctx.reads.packument(actor, name, ctx.baseUrlOf(request), false)).body.toString('utf8')) as Record<string, any>;
      const wanted = rest[0]!;
      const version = doc['dist-tags']?.[wanted] ?? (semver.valid(wanted) ? wanted : semver.maxSatisfying(Object.keys(doc.versions ?? {}), wanted));
      const manifest = version ? doc.versions?.[version] : undefined;
      if (!manifest) throw new RegistryError('E_VERSION_NOT_FOUND', `No version of ${name} matches "${wanted.slice(0, 80)}".`);
      return reply.header('cache-control', REVALIDATE).send(manifest);
    }
    throw new RegistryError('E_NOT_FOUND', 'Not found');
  });

  app.put('/*', async (request, reply) => {
    const { name, rest } = parsePackagePath(pathBelow(request.url, ctx.basePath));
    const body = request.body as Record<string, unknown> | null;
    const publishing = rest.length === 0 && body && typeof body === 'object' && body._attachments !== undefined;
    // npm star sends only {_id, _rev, users}: not a maintainer write, so no OTP (npm does not offer one there).
    const starOnly = !publishing && body && typeof body === 'object' && body.users !== undefined && body.versions === undefined && body.maintainers === undefined;
    const actor = starOnly
      ? await ctx.actorOf(request)
      : await writeActorOf(ctx, request, publishing ? { action: 'publish', packageName: name, what: `publish ${name}` } : { action: 'package-update', packageName: name, what: `change ${name} (deprecate or owners)` });
    if (publishing) {
      const published = await ctx.publisher.publish(actor, name, body, unpublishPolicyUrl(ctx, request));
      return reply.code(201).send({ ok: true, id: published.name, version: published.version });
    }
    if (rest.length === 0 || (rest.length === 2 && rest[0] === '-rev')) {
      await ctx.writes.updateDocument(actor, name, body, rest[1], unpublishPolicyUrl(ctx, request));
      return reply.code(201).send({ ok: true, id: name });
    }
    throw new RegistryError('E_NOT_FOUND', 'Not found');
  });

  app.delete('/*', async (request) => {
    const { name, rest } = parsePackagePath(pathBelow(request.url, ctx.basePath));
    const actor = await writeActorOf(ctx, request, { action: 'unpublish', packageName: name, what: `unpublish ${name}` });
    if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to do this (npm login).');
    // npm unpublish (npm-registry-api.md 5.4), under the unpublish policy (GEN-2a).
    if (rest.length === 2 && rest[0] === '-rev') {
      await ctx.unpublisher.removePackage(actor, name, rest[1], unpublishPolicyUrl(ctx, request));
      return { ok: true, id: name };
    }
    if (rest.length === 4 && rest[0] === '-' && rest[2] === '-rev') {
      await ctx.unpublisher.removeTarball(actor, name, rest[1]!, rest[3], unpublishPolicyUrl(ctx, request));
      return { ok: true, id: name };
    }
    throw new RegistryError('E_NOT_FOUND', 'Not found');
  });
}

/** Where refusals point: the written policy, served by this registry. */
function unpublishPolicyUrl(ctx: RouteContext, request: FastifyRequest): string {
  return `${ctx.baseUrlOf(request)}${UNPUBLISH_POLICY_PATH}`;
}

/** `npm dist-tag` (npm-registry-api.md 5.6): /-/package/{name}/dist-tags[/{tag}]. */
export function registerDistTags(app: FastifyInstance, ctx: RouteContext): void {
  const parse = (request: FastifyRequest) => {
    const path = pathBelow(request.url, ctx.basePath).slice('/-/package'.length);
    const { name, rest } = parsePackagePath(path);
    const resource = rest[0];
    if (resource === 'collaborators' || resource === 'visibility' || resource === 'access') {
      if (rest.length > 1) throw new RegistryError('E_NOT_FOUND', 'Not found');
      return { name, tag: undefined, resource };
    }
    if (resource === 'trust') {
      if (rest.length > 2) throw new RegistryError('E_NOT_FOUND', 'Not found');
      return { name, tag: rest[1], resource };
    }
    if (resource !== 'dist-tags' || rest.length > 2) throw new RegistryError('E_NOT_FOUND', 'Not found');
    return { name, tag: rest[1], resource };
  };
  app.get('/-/package/*', async (request, reply) => {
    const { name, tag, resource } = parse(request);
    if (resource === 'trust') return reply.header('cache-control', 'no-store').send(await ctx.trust.list(await ctx.actorOf(request), name));
    if (resource !== 'dist-tags') return packageAccessRead(ctx, request, reply, name, resource);
    const tags = await ctx.reads.distTags(await ctx.actorOf(request), name);
    reply.header('cache-control', 'no-cache, max-age=0');
    if (tag === undefined) return reply.send(tags);
    if (!(tag in tags)) throw new RegistryError('E_NOT_FOUND', `${name} has no dist-tag "${tag.slice(0, 64)}".`);
    return reply.send(JSON.stringify(tags[tag]));
  });
  app.post('/-/package/*', async (request, reply) => {
    const { name, resource } = parse(request);
    if (resource === 'trust') {
      const actor = await writeActorOf(ctx, request, { action: 'trust', packageName: name, what: `configure trusted publishing of ${name}` });
      return reply.code(201).header('cache-control', 'no-store').send(await ctx.trust.add(actor, name, request.body));
    }
    if (resource !== 'access') throw new RegistryError('E_METHOD_NOT_ALLOWED', 'POST is for /-/package/{name}/access or /trust.');
    return packageAccessWrite(ctx, request, reply, name);
  });
  app.put('/-/package/*', async (request, reply) => {
    const { name, tag, resource } = parse(request);
    if (resource !== 'dist-tags') throw new RegistryError('E_METHOD_NOT_ALLOWED', 'Not allowed.');
    if (tag === undefined) throw new RegistryError('E_METHOD_NOT_ALLOWED', 'PUT a single tag: /-/package/{name}/dist-tags/{tag}.');
    await ctx.writes.setDistTag(await writeActorOf(ctx, request, { action: 'dist-tag', packageName: name, what: `set dist-tag ${tag} of ${name}` }), name, tag, request.body);
    return reply.code(201).send({ ok: true });
  });
  app.delete('/-/package/*', async (request, reply) => {
    const { name, tag, resource } = parse(request);
    if (resource === 'trust') {
      if (tag === undefined) throw new RegistryError('E_METHOD_NOT_ALLOWED', 'DELETE one configuration: /-/package/{name}/trust/{id}.');
      await ctx.trust.revoke(await writeActorOf(ctx, request, { action: 'trust', packageName: name, what: `remove a trusted publisher of ${name}` }), name, tag);
      return reply.header('cache-control', 'no-store').send({});
    }
    if (resource !== 'dist-tags') throw new RegistryError('E_METHOD_NOT_ALLOWED', 'Not allowed.');
    if (tag === undefined) throw new RegistryError('E_METHOD_NOT_ALLOWED', 'DELETE a single tag: /-/package/{name}/dist-tags/{tag}.');
    await ctx.writes.removeDistTag(await writeActorOf(ctx, request, { action: 'dist-tag', packageName: name, what: `remove dist-tag ${tag} of ${name}` }), name, tag);
    return reply.send({ ok: true });
  });
}
