import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError, isRegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { redirectAfterPost, sendPage } from '../web/page-reply.js';
import { AccountPage } from '../web/pages/account-page.js';
import { SignInPage } from '../web/pages/sign-in-page.js';
import type { WebHelpers } from '../web/web-request.js';

type Form = Record<string, string | undefined>;

/** Only a path on this registry: no scheme, no "//host", so sign-in cannot be an open redirect. */
function safeNext(base: string, next: unknown): string {
  const fallback = `${base}/-/ui/account`;
  if (typeof next !== 'string' || !next.startsWith(`${base}/`) || next.startsWith('//') || next.includes('\\') || /[\u0000-\u001f]/.test(next)) return fallback;
  return next;
}

/** Sign in, sign out and the account page (sessions and tokens). */
export function registerWebUiAccount(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const base = ctx.basePath;

  function requireSession(request: FastifyRequest, reply: FastifyReply) {
    const session = request.webSession;
    if (!session) {
      void reply.code(303).header('location', `${base}/-/ui/sign-in?next=${encodeURIComponent(request.url)}`).send();
      return null;
    }
    return session;
  }

  app.get<{ Querystring: { next?: string } }>('/-/ui/sign-in', async (request, reply) => {
    if (request.webSession) return reply.code(303).header('location', safeNext(base, request.query.next)).send();
    return sendPage(reply, 200, SignInPage({ frame: web.frame(request, reply), next: safeNext(base, request.query.next) }));
  });

  app.post<{ Body: Form }>('/-/ui/sign-in', { preHandler: web.protectForm }, async (request, reply) => {
    const body = request.body ?? {};
    const next = safeNext(base, body.next);
    const userName = String(body.username ?? '').slice(0, 214);
    try {
      const user = await ctx.accounts.checkPassword(userName, String(body.password ?? ''));
      // A new session on every sign-in: any cookie the browser had before is worth nothing.
      if (request.webSession) await ctx.webSessions.end(request.webSession.session);
      web.setSession(reply, await ctx.webSessions.start(user.id, 1, web.client(request)));
      return redirectAfterPost(reply, next);
    } catch (err) {
      if (!isRegistryError(err) || err.code !== 'E_BAD_CREDENTIALS') throw err;
      return sendPage(reply, 401, SignInPage({ frame: web.frame(request, reply), next, userName, error: err.message }));
    }
  });

  app.post('/-/ui/sign-out', { preHandler: web.protectForm }, async (request, reply) => {
    if (request.webSession) await ctx.webSessions.end(request.webSession.session);
    web.clearSession(reply);
    return redirectAfterPost(reply, `${base}/`);
  });

  app.get<{ Querystring: { notice?: string } }>('/-/ui/account', async (request, reply) => {
    const active = requireSession(request, reply);
    if (!active) return reply;
    const [sessions, tokens] = await Promise.all([ctx.webSessions.list(active.user.id), ctx.accounts.listTokens(active.user.id)]);
    const notices: Record<string, string> = { 'session-ended': 'The session was ended.', 'others-ended': 'All other sessions were signed out.', 'token-revoked': 'The token was revoked.' };
    return sendPage(reply, 200, AccountPage({
      frame: web.frame(request, reply),
      view: {
        name: active.user.name, email: active.user.email, currentSessionId: active.session.id, sessions, tokens,
        notice: notices[String(request.query.notice ?? '')],
      },
    }));
  });

  app.post<{ Params: { id: string } }>('/-/ui/account/sessions/:id/end', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(request, reply);
    if (!active) return reply;
    if (!(await ctx.webSessions.endById(active.user.id, request.params.id))) throw new RegistryError('E_NOT_FOUND', 'No such session.');
    return redirectAfterPost(reply, `${base}/-/ui/account?notice=session-ended`);
  });

  app.post('/-/ui/account/sessions/end-others', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(request, reply);
    if (!active) return reply;
    await ctx.webSessions.endOthers(active.user.id, active.session.id);
    return redirectAfterPost(reply, `${base}/-/ui/account?notice=others-ended`);
  });

  app.post<{ Params: { id: string } }>('/-/ui/account/tokens/:id/revoke', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(request, reply);
    if (!active) return reply;
    if (!(await ctx.accounts.revokeOwnToken(active.user.id, request.params.id))) throw new RegistryError('E_NOT_FOUND', 'No such token.');
    return redirectAfterPost(reply, `${base}/-/ui/account?notice=token-revoked`);
  });
}
