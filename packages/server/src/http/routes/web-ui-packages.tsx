import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { RegistryError, isRegistryError } from '../../domain/errors.js';
import { ERROR_TABLE } from '../../domain/error-table.js';
import { AdvisoryPage } from '../web/pages/advisory-page.js';
import { NameCheckPage } from '../web/pages/name-check-page.js';
import { parsePackageName, tarballPath } from '../../domain/package-name.js';
import type { RouteContext } from '../context.js';
import { sendPage } from '../web/page-reply.js';
import { HomePage } from '../web/pages/home-page.js';
import { DeletedPackagePage, PackagePage } from '../web/pages/package-page.js';
import { VersionPage } from '../web/pages/version-page.js';
import type { WebHelpers } from '../web/web-request.js';
import type { VersionPanel } from '../web/version-panel.js';

const PAGE_SIZE = 50;

/** `name` or `name/v/version` below /-/ui/package/, with scoped names as `@scope/name`. */
function parseUiPackagePath(wildcard: string): { name: string; version: string | null } {
  let parts: string[];
  try {
    parts = wildcard.split('/').map((s) => decodeURIComponent(s));
  } catch (err) {
    throw new RegistryError('E_BAD_REQUEST', 'The URL has a malformed percent-encoding.', { cause: err });
  }
  const nameParts = parts[0]?.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  const rest = parts.slice(nameParts);
  if (!name || (rest.length !== 0 && (rest.length !== 2 || rest[0] !== 'v'))) throw new RegistryError('E_NOT_FOUND', 'Not found');
  return { name, version: rest[1] ?? null };
}

export function sessionActor(request: { webSession: import('../../services/web-sessions.js').ActiveSession | null }): Actor {
  const s = request.webSession;
  if (!s) return { kind: 'anonymous' };
  return { kind: 'user', via: 'session', user: { id: s.user.id, name: s.user.name, email: s.user.email, isAdmin: s.user.isAdmin } };
}

/** Package list, search, package and version pages (GEN-2d panels plug in as VersionPanels). */
export function registerWebUiPackages(app: FastifyInstance, ctx: RouteContext, web: WebHelpers, panels: readonly VersionPanel[]): void {
  const list = async (request: import('fastify').FastifyRequest<{ Querystring: { q?: string; from?: string } }>, reply: import('fastify').FastifyReply) => {
    const query = String(request.query.q ?? '').slice(0, 200).trim();
    const from = Math.max(0, Math.min(10_000, Number.parseInt(String(request.query.from ?? '0'), 10) || 0));
    const { total, packages } = await ctx.overviews.list(query, PAGE_SIZE, from);
    // GEN-2d: a badge on every listed package that has advisories.
    const flags = await ctx.advisories.reports.flags(packages.map((p) => p.name));
    const badges = new Map(Object.entries(flags).filter(([, f]) => f.count > 0).map(([name, f]) => [
      name, <span class={`badge bad advisory-badge sev-${f.maxSeverity ?? 'low'}`} title="known security advisories" safe>{`${f.count} ${f.count === 1 ? 'advisory' : 'advisories'}, ${f.maxSeverity ?? 'low'}`}</span>,
    ]));
    return sendPage(reply, 200, HomePage({ frame: web.frame(request, reply), query, total, packages, badges }));
  };
  app.get('/', list);
  app.get('/-/ui/search', list);

  app.get<{ Querystring: { name?: string } }>('/-/ui/new-package', async (request, reply) => {
    const name = String(request.query.name ?? '').trim().slice(0, 214);
    const frame = web.frame(request, reply);
    if (!name) return sendPage(reply, 200, NameCheckPage({ frame, name, answer: null }));
    try {
      return sendPage(reply, 200, NameCheckPage({ frame, name, answer: await ctx.names.check(name, sessionActor(request)) }));
    } catch (err) {
      if (!isRegistryError(err) || ERROR_TABLE[err.code].status >= 500) throw err;
      return sendPage(reply, 400, NameCheckPage({ frame, name, answer: null, error: err.message }));
    }
  });

  app.get<{ Params: { id: string } }>('/-/advisories/:id', async (request, reply) =>
    sendPage(reply, 200, AdvisoryPage({ frame: web.frame(request, reply), advisory: await ctx.advisories.reports.advisory(request.params.id) })));

  app.get<{ Params: { '*': string } }>('/-/ui/package/*', async (request, reply) => {
    const { name, version } = parseUiPackagePath(request.params['*']);
    const actor = sessionActor(request);
    const frame = web.frame(request, reply);
    let pkg;
    try {
      pkg = await ctx.overviews.overview(actor, name);
    } catch (err) {
      const deleted = isRegistryError(err) && err.code === 'E_PKG_NOT_FOUND' ? await ctx.overviews.deleted(name) : null;
      if (!deleted) throw err;
      return sendPage(reply, 404, DeletedPackagePage({ frame, name, deleted }));
    }
    if (version === null) {
      const [weeklyDownloads, dependents] = await Promise.all([ctx.stats.weeklyDownloads(name), ctx.stats.dependents(name, 1)]);
      return sendPage(reply, 200, PackagePage({ frame, pkg, usage: { weeklyDownloads, dependents: dependents.total } }));
    }
    const record = pkg.versions.find((v) => v.version === version);
    if (!record) throw new RegistryError('E_VERSION_NOT_FOUND', `${name} has no version ${version.slice(0, 64)}.`);
    const publisher = pkg.maintainers.find((m) => m.userId === record.publishedBy)?.name
      ?? (typeof (record.manifest._npmUser as { name?: unknown } | undefined)?.name === 'string' ? String((record.manifest._npmUser as { name: string }).name) : `user #${record.publishedBy}`);
    const rendered = await Promise.all(panels.map((panel) => panel({ actor, name, record, frame })));
    return sendPage(reply, 200, VersionPage({
      frame,
      view: { name, record, publisher, tarballUrl: `${ctx.baseUrlOf(request)}${tarballPath(parsePackageName(name), record.version)}`, panels: rendered },
    }));
  });
}
