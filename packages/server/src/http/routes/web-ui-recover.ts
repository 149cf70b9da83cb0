import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { redirectAfterPost, sendPage } from '../web/page-reply.js';
import { NewPasswordPage } from '../web/pages/sign-in-page.js';
import { formError, statusOf } from '../web/sign-in-flow.js';
import type { WebHelpers } from '../web/web-request.js';

type Form = Record<string, string | undefined>;

/**
 * AUTHN-1b: the page an operator-assisted recovery link opens (`bulwark admin user recover`):
 * the account's factors were removed and its password cleared; the owner sets a new password
 * here, once. The link is checked on GET and spent only when an acceptable password is set.
 */
export function registerWebUiRecover(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const links = ctx.recoveryLinks;
  if (!links) return;
  const action = (token: string) => `${ctx.basePath}/-/ui/recover?token=${encodeURIComponent(token)}`;
  const intro = 'An operator reset this account at your request. Choose a new password, then sign in and set up a second factor again.';

  app.get<{ Querystring: { token?: string } }>('/-/ui/recover', async (request, reply) => {
    const token = String(request.query.token ?? '');
    await links.checkLink(token);
    return sendPage(reply, 200, NewPasswordPage({ frame: web.frame(request, reply), title: 'Recover your account', intro, action: action(token) }));
  });

  app.post<{ Querystring: { token?: string }; Body: Form }>('/-/ui/recover', { preHandler: web.protectForm }, async (request, reply) => {
    const token = String(request.query.token ?? '');
    const password = String(request.body?.password ?? '');
    const user = await links.checkLink(token);
    try {
      // The new password is screened before the link is spent, so a refused one can be retried.
      await ctx.webAuth.account.setPassword(user, password, web.client(request), 'reset');
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      return sendPage(reply, statusOf(shown, reply), NewPasswordPage({ frame: web.frame(request, reply), title: 'Recover your account', intro, action: action(token), error: shown.message }));
    }
    if ((await links.consumeLink(token)).id !== user.id) throw new RegistryError('E_RECOVERY_LINK_INVALID', 'This recovery link was used already.');
    await ctx.webSessions.endOthers(user.id, null);
    return redirectAfterPost(reply, `${ctx.basePath}/-/ui/sign-in?notice=password-reset`);
  });
}
