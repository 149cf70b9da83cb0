import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { RegistryError } from '../../domain/errors.js';
import type { CredentialPurpose } from '../../services/webauthn.js';
import type { ActiveSession } from '../../services/web-sessions.js';
import type { RouteContext } from '../context.js';
import { redirectAfterPost, sendPage } from '../web/page-reply.js';
import { RecoveryCodesPage, SecurityPage, TotpEnrolPage } from '../web/pages/security-page.js';
import { formError, jsonAnswer, requireSession, statusOf } from '../web/sign-in-flow.js';
import type { WebHelpers } from '../web/web-request.js';

type Form = Record<string, string | undefined>;

const NOTICES: Record<string, string> = {
  'password-changed': 'Your password was changed. Other sessions were signed out.',
  'totp-removed': 'The authenticator app was turned off.',
  'key-added': 'The security key was added.',
  'passkey-added': 'The passkey was added. You can now sign in with it, without a password.',
  'key-removed': 'The security key or passkey was removed.',
  'email-changed': 'Your email address was changed. Both the old and the new address were told.',
};

/**
 * The account security page (issue 3): change password, authenticator app with recovery codes,
 * security keys and passkeys, and the security log. Adding a factor is a privilege change: the
 * session is replaced by a new one at AAL2.
 */
export function registerWebUiSecurity(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const base = ctx.basePath;
  const page = `${base}/-/ui/account/security`;
  const w = ctx.webAuth;

  async function render(request: FastifyRequest, reply: FastifyReply, active: ActiveSession, status = 200, error?: string, notice?: string) {
    const [totp, recoveryCodes, credentials, events] = await Promise.all([
      w.totp.isEnrolled(active.user.id), w.totp.countRecoveryCodes(active.user.id), w.webauthn.list(active.user.id), w.events.listSecurityEvents(active.user.id, { limit: 100 }),
    ]);
    return sendPage(reply, status, SecurityPage({
      frame: web.frame(request, reply), userName: active.user.name, email: active.user.email, view: { totp, recoveryCodes, credentials, events, error, notice },
    }));
  }

  /** After a factor is added to an AAL1 session: a new session at AAL2 (rotation on privilege change). */
  async function raiseToAal2(request: FastifyRequest, reply: FastifyReply, active: ActiveSession): Promise<void> {
    if (active.session.aal === 2) return;
    web.setSession(reply, await ctx.webSessions.rotate(active.session, 2, web.client(request)));
  }

  app.get<{ Querystring: { notice?: string } }>('/-/ui/account/security', async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    return render(request, reply, active, 200, undefined, NOTICES[String(request.query.notice ?? '')]);
  });

  app.post<{ Body: Form }>('/-/ui/account/security/password', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    try {
      await w.account.changePassword(active.user, String(request.body?.current ?? ''), String(request.body?.password ?? ''), web.client(request));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      return render(request, reply, active, statusOf(shown, reply), shown.message);
    }
    await ctx.webSessions.endOthers(active.user.id, active.session.id);
    web.setSession(reply, await ctx.webSessions.rotate(active.session, active.session.aal, web.client(request)));
    return redirectAfterPost(reply, `${page}?notice=password-changed`);
  });

  // AUTHN-1a/1d: the new address is confirmed by a link mailed to it; the answer is the same
  // whether or not another account uses it.
  app.post<{ Body: Form }>('/-/ui/account/security/email', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    const baseUrl = ctx.baseUrlOf(request);
    const email = String(request.body?.email ?? '').trim().slice(0, 254);
    try {
      await w.emailChange.request(active.user, String(request.body?.current ?? ''), email, (secret) => `${baseUrl}/-/ui/account/email/confirm?t=${secret}`, web.client(request));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      return render(request, reply, active, statusOf(shown, reply), shown.message);
    }
    return render(request, reply, active, 200, undefined, `We sent a confirmation link to ${email}. Your address changes when you open it; until then mail still goes to ${active.user.email}.`);
  });

  app.get<{ Querystring: { t?: string } }>('/-/ui/account/email/confirm', async (request, reply) => {
    await w.emailChange.confirm(String(request.query.t ?? ''), web.client(request));
    return reply.code(303).header('cache-control', 'no-store').header('location', `${page}?notice=email-changed`).send();
  });

  app.post('/-/ui/account/security/totp', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    try {
      const enrolment = await w.factors.beginTotp(active.user);
      return sendPage(reply, 200, TotpEnrolPage({ frame: web.frame(request, reply), qrSvg: enrolment.qrSvg, secret: enrolment.secret }));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      return render(request, reply, active, statusOf(shown, reply), shown.message);
    }
  });

  app.post<{ Body: Form }>('/-/ui/account/security/totp/confirm', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    let codes: string[];
    try {
      codes = await w.factors.confirmTotp(active.user, String(request.body?.code ?? '').slice(0, 16), web.client(request));
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      // A fresh secret: scanning again is safer than keeping one that was shown with an error.
      const enrolment = await w.factors.beginTotp(active.user);
      return sendPage(reply, statusOf(shown, reply), TotpEnrolPage({
        frame: web.frame(request, reply), qrSvg: enrolment.qrSvg, secret: enrolment.secret, error: `${shown.message} Scan this new code and try again.`,
      }));
    }
    await raiseToAal2(request, reply, active);
    return sendPage(reply, 200, RecoveryCodesPage({ frame: web.frame(request, reply), codes }));
  });

  /**
   * Removing a second factor weakens the account: the current password is asked again (throttled),
   * so that a session left open or stolen cannot strip the factors (AUTHN-1c, 1e).
   */
  async function withPassword(request: FastifyRequest<{ Body: Form }>, reply: FastifyReply, active: ActiveSession, via: string, change: () => Promise<void>): Promise<boolean> {
    try {
      await w.account.confirmPassword(active.user, String(request.body?.current ?? ''), web.client(request), via);
      await change();
      return true;
    } catch (err) {
      const shown = formError(err);
      if (!shown) throw err;
      await render(request, reply, active, statusOf(shown, reply), shown.message);
      return false;
    }
  }

  app.post<{ Body: Form }>('/-/ui/account/security/totp/remove', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    if (!(await withPassword(request, reply, active, 'totp-remove', () => w.factors.removeTotp(active.user, web.client(request))))) return reply;
    return redirectAfterPost(reply, `${page}?notice=totp-removed`);
  });

  app.post('/-/ui/account/security/recovery-codes', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    const codes = await w.factors.regenerateRecoveryCodes(active.user, web.client(request));
    return sendPage(reply, 200, RecoveryCodesPage({ frame: web.frame(request, reply), codes }));
  });

  const purposeOf = (value: string): CredentialPurpose => {
    if (value !== 'passkey' && value !== 'security-key') throw new RegistryError('E_NOT_FOUND', 'Unknown kind of credential.');
    return value;
  };

  app.post<{ Params: { purpose: string } }>('/-/ui/account/security/webauthn/:purpose/options', { preHandler: web.protectForm }, async (request, reply) =>
    jsonAnswer(reply, async () => {
      const active = request.webSession;
      if (!active) throw new RegistryError('E_SIGN_IN_EXPIRED', 'Your session ended; sign in again.');
      return w.factors.registrationOptions(active.session.id, active.user, purposeOf(request.params.purpose));
    }));

  app.post<{ Params: { purpose: string }; Body: { name?: string; response?: RegistrationResponseJSON } }>('/-/ui/account/security/webauthn/:purpose/verify', { preHandler: web.protectForm }, async (request, reply) =>
    jsonAnswer(reply, async () => {
      const active = request.webSession;
      if (!active) throw new RegistryError('E_SIGN_IN_EXPIRED', 'Your session ended; sign in again.');
      const purpose = purposeOf(request.params.purpose);
      const response = request.body?.response;
      if (!response || typeof response !== 'object' || typeof response.id !== 'string') throw new RegistryError('E_WEBAUTHN_INVALID', 'No security key answer was sent.');
      await w.factors.register(active.session.id, active.user, purpose, String(request.body?.name ?? '').slice(0, 64), response, web.client(request));
      await raiseToAal2(request, reply, active);
      return { redirect: `${page}?notice=${purpose === 'passkey' ? 'passkey-added' : 'key-added'}` };
    }));

  app.post<{ Body: Form }>('/-/ui/account/security/webauthn/remove', { preHandler: web.protectForm }, async (request, reply) => {
    const active = requireSession(base, request, reply);
    if (!active) return reply;
    if (!(await withPassword(request, reply, active, 'webauthn-remove', () => w.factors.removeCredential(active.user, String(request.body?.id ?? ''), web.client(request))))) return reply;
    return redirectAfterPost(reply, `${page}?notice=key-removed`);
  });
}
