import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { redirectAfterPost, sendPage } from '../web/page-reply.js';
import { AccountPage } from '../web/pages/account-page.js';
import { requireSession } from '../web/sign-in-flow.js';
import type { WebHelpers } from '../web/web-request.js';

/** The account page (sessions and tokens). Sign-in and sign-out are in web-ui-sign-in.ts. */
export function registerWebUiAccount(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const base = ctx.basePath;

  app.get<{ Querystring: { notice?: string } }>('/-/ui/account', async (request, reply) => {
    const active = requireSession(base, request, reply);
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
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    if (!(await ctx.webSessions.endById(active.user.id, request.params.id))) throw new RegistryError('E_NOT_FOUND', 'No such session.');
    return redirectAfterPost(reply, `${base}/-/ui/account?notice=session-ended`);
  });

  app.post('/-/ui/account/sessions/end-others', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    await ctx.webSessions.endOthers(active.user.id, active.session.id);
    return redirectAfterPost(reply, `${base}/-/ui/account?notice=others-ended`);
  });

  app.post<{ Params: { id: string } }>('/-/ui/account/tokens/:id/revoke', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    if (!(await ctx.accounts.revokeOwnToken(active.user.id, request.params.id))) throw new RegistryError('E_NOT_FOUND', 'No such token.');
    return redirectAfterPost(reply, `${base}/-/ui/account?notice=token-revoked`);
  });
}
