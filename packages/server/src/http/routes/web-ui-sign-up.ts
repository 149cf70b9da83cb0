import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { redirectAfterPost, sendPage } from '../web/page-reply.js';
import { MessagePage, NewPasswordPage } from '../web/pages/sign-in-page.js';
import { ResetRequestPage, SignUpPage } from '../web/pages/sign-up-pages.js';
import { formError, statusOf } from '../web/sign-in-flow.js';
import type { WebHelpers } from '../web/web-request.js';

type Form = Record<string, string | undefined>;

/**
 * Sign-up with email confirmation (AUTHN-1a) and password reset by a mailed single-use link
 * (AUTHN-1b). Link secrets ride in the query (never logged: see loggable-url.ts) and are kept
 * only as hashes.
 */
export function registerWebUiSignUp(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const base = ctx.basePath;
  const account = ctx.webAuth.account;

  const checkMail = (message: string) => (request: Parameters<WebHelpers['frame']>[0], reply: Parameters<WebHelpers['frame']>[1]) =>
    sendPage(reply, 200, MessagePage({ frame: web.frame(request, reply), title: 'Check your mail', message }));

  app.get('/-/ui/sign-up', async (request, reply) => {
    if (!account.registrationOpen) throw new RegistryError('E_REGISTRATION_CLOSED', 'Registration is closed on this registry; ask an operator for an account.');
    return sendPage(reply, 200, SignUpPage({ frame: web.frame(request, reply) }));
  });

  app.post<{ Body: Form }>('/-/ui/sign-up', { preHandler: web.protectForm }, async (request, reply) => {
    const body = request.body ?? {};
    const userName = String(body.username ?? '').slice(0, 214);
    const email = String(body.email ?? '').slice(0, 254);
    const baseUrl = ctx.baseUrlOf(request);
    try {
      await account.signUp({ name: userName, email, password: String(body.password ?? '') }, (secret) => `${baseUrl}/-/ui/verify-email?t=${secret}`, web.client(request));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      return sendPage(reply, statusOf(shown, reply), SignUpPage({ frame: web.frame(request, reply), error: shown.message, userName, email }));
    }
    // The same answer whether or not the address already had an account (its owner gets a mail).
    return checkMail(`We sent a confirmation link to ${email}. Open it to finish creating your account.`)(request, reply);
  });

  app.get<{ Querystring: { t?: string } }>('/-/ui/verify-email', async (request, reply) => {
    await account.verifyEmail(String(request.query.t ?? ''));
    return reply.code(303).header('cache-control', 'no-store').header('location', `${base}/-/ui/sign-in?notice=email-confirmed`).send();
  });

  app.get('/-/ui/password-reset', async (request, reply) => sendPage(reply, 200, ResetRequestPage({ frame: web.frame(request, reply) })));

  app.post<{ Body: Form }>('/-/ui/password-reset', { preHandler: web.protectForm }, async (request, reply) => {
    const baseUrl = ctx.baseUrlOf(request);
    const key = String(request.body?.account ?? '').slice(0, 254);
    await account.requestReset(key, (secret) => `${baseUrl}/-/ui/password-reset/confirm?t=${secret}`, web.client(request));
    return checkMail('If an account matches, we sent a reset link to its email address. The link works once and expires soon.')(request, reply);
  });

  const resetPage = (secret: string) => `${base}/-/ui/password-reset/confirm?t=${encodeURIComponent(secret)}`;
  app.get<{ Querystring: { t?: string } }>('/-/ui/password-reset/confirm', async (request, reply) => {
    if (!(await account.resetLinkUser(String(request.query.t ?? '')))) throw new RegistryError('E_LINK_INVALID', 'This reset link is unknown, used already or expired; ask for a new one.');
    return sendPage(reply, 200, NewPasswordPage({
      frame: web.frame(request, reply), title: 'Choose a new password', intro: 'Choose a new password for your account. Other sessions will be signed out.',
      action: resetPage(String(request.query.t ?? '')),
    }));
  });

  app.post<{ Querystring: { t?: string }; Body: Form }>('/-/ui/password-reset/confirm', { preHandler: web.protectForm }, async (request, reply) => {
    try {
      const user = await account.resetPassword(String(request.query.t ?? ''), String(request.body?.password ?? ''), web.client(request));
      // Every session of the account ends: whoever had the old password is out.
      await ctx.webSessions.endOthers(user.id, null);
      if (request.webSession) web.clearSession(reply);
    } catch (err) {
      const shown = formError(err);
      if (!shown || shown.code === 'E_LINK_INVALID' || shown.code === 'E_RECOVERY_REFUSED') throw err;
      return sendPage(reply, statusOf(shown, reply), NewPasswordPage({
        frame: web.frame(request, reply), title: 'Choose a new password', intro: 'Choose a new password for your account.',
        action: resetPage(String(request.query.t ?? '')), error: shown.message,
      }));
    }
    return redirectAfterPost(reply, `${base}/-/ui/sign-in?notice=password-reset`);
  });
}
