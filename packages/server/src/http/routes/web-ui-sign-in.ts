import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { RegistryError } from '../../domain/errors.js';
import type { SignInOutcome } from '../../services/web-sign-in.js';
import type { RouteContext } from '../context.js';
import { redirectAfterPost, sendPage } from '../web/page-reply.js';
import { NewPasswordPage, SecondFactorPage, SignInPage } from '../web/pages/sign-in-page.js';
import { formError, jsonAnswer, safeNext, signInDestination, statusOf } from '../web/sign-in-flow.js';
import type { WebHelpers } from '../web/web-request.js';

type Form = Record<string, string | undefined>;

/**
 * Sign-in (AUTHN-1c, 1e, 2b, 2d, 3a): password then a second factor when the user has one, or a
 * passkey alone; a forced password change after a breached password; sign-out.
 */
export function registerWebUiSignIn(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const base = ctx.basePath;
  const flows = ctx.webAuth.signIn;
  const owner = (request: FastifyRequest, reply: FastifyReply) => ({ flow: web.flow(request, reply) });

  app.get<{ Querystring: { next?: string; notice?: string } }>('/-/ui/sign-in', async (request, reply) => {
    if (request.webSession) return reply.code(303).header('location', safeNext(base, request.query.next)).send();
    web.flow(request, reply);
    const notices: Record<string, string> = { 'email-confirmed': 'Your email address is confirmed. Sign in to continue.', 'password-reset': 'Your password was reset. Sign in with the new one.' };
    return sendPage(reply, 200, SignInPage({
      frame: web.frame(request, reply), next: safeNext(base, request.query.next), registrationOpen: ctx.webAuth.account.registrationOpen,
      notice: notices[String(request.query.notice ?? '')],
    }));
  });

  app.post<{ Body: Form }>('/-/ui/sign-in', { preHandler: web.protectForm }, async (request, reply) => {
    const body = request.body ?? {};
    const next = safeNext(base, body.next);
    const userName = String(body.username ?? '').trim().slice(0, 214);
    try {
      const outcome = await flows.password(owner(request, reply), userName, String(body.password ?? ''), web.client(request));
      return redirectAfterPost(reply, await signInDestination(ctx, web, request, reply, outcome, next, 'password'));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      if (shown.headers) reply.headers(shown.headers);
      return sendPage(reply, statusOf(shown, reply), SignInPage({
        frame: web.frame(request, reply), next, userName, error: shown.message, registrationOpen: ctx.webAuth.account.registrationOpen,
      }));
    }
  });

  app.get<{ Querystring: { next?: string } }>('/-/ui/sign-in/second-factor', async (request, reply) => {
    const next = safeNext(base, request.query.next);
    const pending = await flows.pending(owner(request, reply));
    return sendPage(reply, 200, SecondFactorPage({ frame: web.frame(request, reply), userName: pending.user.name, next, factors: pending.factors }));
  });

  /** TOTP or recovery code: a wrong one shows the page again with the error. */
  const codeStep = (step: 'totp' | 'recovery-code') => async (request: FastifyRequest<{ Body: Form }>, reply: FastifyReply) => {
    const body = request.body ?? {};
    const next = safeNext(base, body.next);
    const o = owner(request, reply);
    let outcome: SignInOutcome;
    try {
      const code = String(body.code ?? '').slice(0, 64);
      outcome = step === 'totp' ? await flows.totp(o, code, web.client(request)) : await flows.recoveryCode(o, code, web.client(request));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      if (shown.headers) reply.headers(shown.headers);
      const pending = await flows.pending(o);
      return sendPage(reply, statusOf(shown, reply), SecondFactorPage({ frame: web.frame(request, reply), userName: pending.user.name, next, factors: pending.factors, error: shown.message }));
    }
    return redirectAfterPost(reply, await signInDestination(ctx, web, request, reply, outcome, next, step));
  };
  app.post<{ Body: Form }>('/-/ui/sign-in/totp', { preHandler: web.protectForm }, codeStep('totp'));
  app.post<{ Body: Form }>('/-/ui/sign-in/recovery-code', { preHandler: web.protectForm }, codeStep('recovery-code'));

  // WebAuthn as the second factor, and passwordless passkey sign-in: JSON for the bundled script.
  app.post('/-/ui/sign-in/webauthn/options', { preHandler: web.protectForm }, async (request, reply) =>
    jsonAnswer(reply, () => flows.secondFactorOptions(owner(request, reply))));
  app.post<{ Querystring: { next?: string }; Body: { response?: AuthenticationResponseJSON } }>('/-/ui/sign-in/webauthn/verify', { preHandler: web.protectForm }, async (request, reply) =>
    jsonAnswer(reply, async () => {
      const outcome = await flows.secondFactorWebAuthn(owner(request, reply), assertion(request.body), web.client(request));
      return { redirect: await signInDestination(ctx, web, request, reply, outcome, safeNext(base, request.query.next), 'security-key') };
    }));
  app.post('/-/ui/sign-in/passkey/options', { preHandler: web.protectForm }, async (request, reply) =>
    jsonAnswer(reply, () => flows.passkeyOptions(owner(request, reply))));
  app.post<{ Querystring: { next?: string }; Body: { response?: AuthenticationResponseJSON } }>('/-/ui/sign-in/passkey/verify', { preHandler: web.protectForm }, async (request, reply) =>
    jsonAnswer(reply, async () => {
      const outcome = await flows.passkey(owner(request, reply), assertion(request.body), web.client(request));
      return { redirect: await signInDestination(ctx, web, request, reply, outcome, safeNext(base, request.query.next), 'passkey') };
    }));

  // AUTHN-2d: a password found in a breach list is replaced before any session is issued.
  const newPasswordPage = (request: FastifyRequest, reply: FastifyReply, next: string, status: number, error?: string) =>
    sendPage(reply, status, NewPasswordPage({
      frame: web.frame(request, reply), title: 'Choose a new password', next, error,
      intro: 'The password you signed in with appears in a public list of leaked passwords. Choose a new one to continue; we also sent you a mail about it.',
      action: `${base}/-/ui/sign-in/new-password`,
    }));
  app.get<{ Querystring: { next?: string } }>('/-/ui/sign-in/new-password', async (request, reply) => {
    const pending = await flows.pending(owner(request, reply));
    if (pending.stage !== 'change-password') throw new RegistryError('E_SIGN_IN_EXPIRED', 'The sign-in expired; sign in again.');
    return newPasswordPage(request, reply, safeNext(base, request.query.next), 200);
  });
  app.post<{ Body: Form }>('/-/ui/sign-in/new-password', { preHandler: web.protectForm }, async (request, reply) => {
    const next = safeNext(base, request.body?.next);
    try {
      const outcome = await flows.changeForcedPassword(owner(request, reply), String(request.body?.password ?? ''), web.client(request));
      return redirectAfterPost(reply, await signInDestination(ctx, web, request, reply, outcome, next, 'password'));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      return newPasswordPage(request, reply, next, statusOf(shown, reply), shown.message);
    }
  });

  app.post('/-/ui/sign-out', { preHandler: web.protectForm }, async (request, reply) => {
    if (request.webSession) await ctx.webSessions.end(request.webSession.session);
    web.clearSession(reply);
    return redirectAfterPost(reply, `${base}/`);
  });
}

/** The assertion the script posts; its shape is checked by @simplewebauthn/server. */
export function assertion(body: { response?: AuthenticationResponseJSON } | undefined): AuthenticationResponseJSON {
  const response = body?.response;
  if (!response || typeof response !== 'object' || typeof response.id !== 'string' || typeof response.response !== 'object') {
    throw new RegistryError('E_WEBAUTHN_INVALID', 'No security key answer was sent.');
  }
  return response;
}
