import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { RegistryError } from '../../domain/errors.js';
import type { ActiveSession } from '../../services/web-sessions.js';
import type { RouteContext } from '../context.js';
import { sendPage } from '../web/page-reply.js';
import { ApprovePage } from '../web/pages/approve-page.js';
import { formError, jsonAnswer, requireSession, statusOf } from '../web/sign-in-flow.js';
import type { WebHelpers } from '../web/web-request.js';
import { assertion } from './web-ui-sign-in.js';

/**
 * npm's poll of an approval (AUTHN-3b; domain/web-otp.ts): any method (npm repeats the failed
 * request's method in some flows), 202 + Retry-After while pending, the one-time code once.
 * In the npm API's context: no cookies.
 */
export function registerWebOtpDone(app: FastifyInstance, ctx: RouteContext): void {
  app.route<{ Params: { id: string }; Querystring: { secret?: string } }>({
    method: ['GET', 'POST', 'PUT', 'DELETE'],
    url: '/-/v1/approve/:id/done',
    handler: async (request, reply) => {
      const secret = request.query.secret;
      if (typeof secret !== 'string') throw new RegistryError('E_NOT_FOUND', 'Unknown approval request.');
      const code = await ctx.webAuth.approvals.poll(request.params.id, secret);
      reply.header('cache-control', 'no-store');
      if (code === null) return reply.code(202).header('retry-after', '1').send({});
      return reply.send({ token: code });
    },
  });
}

/**
 * The approval page behind authUrl: the same user's session and a fresh second factor (security
 * key or passkey through WebAuthn, or a TOTP code), then "return to your terminal".
 */
export function registerWebOtpPages(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const base = ctx.basePath;
  const w = ctx.webAuth;

  async function show(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, active: ActiveSession, status = 200, error?: string) {
    const record = await w.approvals.forPage(request.params.id, active.user.id);
    const [totp, keys] = await Promise.all([w.totp.isEnrolled(active.user.id), w.webauthn.list(active.user.id)]);
    return sendPage(reply, status, ApprovePage({
      frame: web.frame(request, reply), id: request.params.id, what: record.what, totp: totp && !record.phishingResistant, webauthn: keys.length > 0,
      critical: record.phishingResistant, approved: record.approvedAt !== null, error,
    }));
  }

  app.get<{ Params: { id: string } }>('/-/ui/approve/:id', async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    return show(request, reply, active);
  });

  app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>('/-/ui/approve/:id/totp', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    const record = await w.approvals.forPage(request.params.id, active.user.id);
    if (record.phishingResistant) return show(request, reply, active, 403, 'This write is for a critical package: approve it with a security key or passkey.');
    try {
      await w.gate.checkTotp(active.user, String(request.body?.code ?? '').replace(/\s+/g, '').slice(0, 16), web.client(request));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      if (shown.headers) reply.headers(shown.headers);
      return show(request, reply, active, statusOf(shown, reply), shown.message);
    }
    await w.approvals.approve(request.params.id, active.user.id, 'totp');
    return show(request, reply, active);
  });

  const slot = (id: string) => `approve:${id}`;
  app.post<{ Params: { id: string } }>('/-/ui/approve/:id/webauthn/options', { preHandler: web.protectForm }, async (request, reply) =>
    jsonAnswer(reply, async () => {
      const active = request.webSession;
      if (!active) throw new RegistryError('E_SIGN_IN_EXPIRED', 'Your session ended; sign in again.');
      await w.approvals.forPage(request.params.id, active.user.id);
      return w.signIn.assertionOptions({ session: active.session.id }, slot(request.params.id), active.user.id);
    }));

  app.post<{ Params: { id: string }; Body: { response?: AuthenticationResponseJSON } }>('/-/ui/approve/:id/webauthn/verify', { preHandler: web.protectForm }, async (request, reply) =>
    jsonAnswer(reply, async () => {
      const active = request.webSession;
      if (!active) throw new RegistryError('E_SIGN_IN_EXPIRED', 'Your session ended; sign in again.');
      await w.approvals.forPage(request.params.id, active.user.id);
      const { factor, aaguid } = await w.signIn.verifyAssertion({ session: active.session.id }, slot(request.params.id), active.user.id, assertion(request.body), web.client(request));
      await w.approvals.approve(request.params.id, active.user.id, factor, aaguid);
      return { redirect: `${base}/-/ui/approve/${request.params.id}` };
    }));
}
