import type { FastifyInstance } from 'fastify';
import { isRegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { sendPage } from '../web/page-reply.js';
import { NewTokenPage } from '../web/pages/new-token-page.js';
import { formError, requireSession, statusOf } from '../web/sign-in-flow.js';
import type { WebHelpers } from '../web/web-request.js';
import { sessionActor } from './web-ui-packages.js';

type Form = Record<string, string | undefined>;
const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * AUTHZ-1a/1b in the web UI: create a token (password + second factor; the owner is mailed),
 * beside the account page's list (last use) and revoke buttons.
 */
export function registerWebUiTokens(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const base = ctx.basePath;

  app.get('/-/ui/account/tokens/new', async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    const hasSecondFactor = await ctx.webAuth.totp.isEnrolled(active.user.id);
    return sendPage(reply, 200, NewTokenPage({ frame: web.frame(request, reply), hasSecondFactor }));
  });

  app.post<{ Body: Form }>('/-/ui/account/tokens/new', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    const body = request.body ?? {};
    const client = web.client(request);
    const hasSecondFactor = await ctx.webAuth.totp.isEnrolled(active.user.id);
    try {
      const code = String(body.otp ?? '').trim();
      if (/^\d{6,8}$/.test(code)) await ctx.webAuth.gate.checkTotp(active.user, code, client);
      else await ctx.webAuth.gate.checkRecoveryCode(active.user, code, client);
      const packages = list(body.packages);
      const created = await ctx.tokens.create(sessionActor(request), {
        password: String(body.password ?? ''), name: String(body.name ?? '') || null,
        packages_and_scopes_permission: body.permission === 'read-only' ? 'read-only' : 'read-write',
        ...(packages.length ? { packages } : {}),
        ...(list(body.cidr).length ? { cidr_whitelist: list(body.cidr) } : {}),
        ...(body.expires ? { expires: Number(body.expires) } : {}),
      }, { ip: client.ip, userAgent: client.userAgent, secondFactor: true });
      return sendPage(reply, 201, NewTokenPage({ frame: web.frame(request, reply), created: created.token, hasSecondFactor }));
    } catch (err) {
      const shown = isRegistryError(err) ? (formError(err) ?? (err.code === 'E_BAD_REQUEST' || err.code === 'E_BAD_CREDENTIALS' ? err : undefined)) : undefined;
      if (!shown) throw err;
      return sendPage(reply, statusOf(shown, reply), NewTokenPage({ frame: web.frame(request, reply), error: shown.message, hasSecondFactor }));
    }
  });
}
