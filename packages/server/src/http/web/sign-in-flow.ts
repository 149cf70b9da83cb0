import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_TABLE } from '../../domain/error-table.js';
import { isRegistryError, type RegistryError } from '../../domain/errors.js';
import type { SignInOutcome } from '../../services/web-sign-in.js';
import type { ActiveSession } from '../../services/web-sessions.js';
import type { RouteContext } from '../context.js';
import type { WebHelpers } from './web-request.js';

/** Only a path on this registry: no scheme, no "//host", so sign-in cannot be an open redirect. */
export function safeNext(base: string, next: unknown): string {
  const fallback = `${base}/-/ui/account`;
  if (typeof next !== 'string' || !next.startsWith(`${base}/`) || next.startsWith('//') || next.includes('\\') || /[\u0000-\u001f]/.test(next)) return fallback;
  return next;
}

/** The signed-in session, or a redirect to sign-in (then null). */
export function requireSession(base: string, request: FastifyRequest, reply: FastifyReply): ActiveSession | null {
  const session = request.webSession;
  if (!session) {
    void reply.code(303).header('location', `${base}/-/ui/sign-in?next=${encodeURIComponent(request.url)}`).send();
    return null;
  }
  return session;
}

/**
 * Where a sign-in step leads. Signed in: the old session (if any) ends and a new one starts at the
 * reached AAL (sessions rotate on every sign-in), the sign-in is logged and a new device mailed.
 */
export async function signInDestination(ctx: RouteContext, web: WebHelpers, request: FastifyRequest, reply: FastifyReply, outcome: SignInOutcome, next: string, method: string): Promise<string> {
  const base = ctx.basePath;
  if (outcome.kind === 'second-factor') return `${base}/-/ui/sign-in/second-factor?next=${encodeURIComponent(next)}`;
  if (outcome.kind === 'change-password') return `${base}/-/ui/sign-in/new-password?next=${encodeURIComponent(next)}`;
  if (request.webSession) await ctx.webSessions.end(request.webSession.session);
  const client = web.client(request);
  web.setSession(reply, await ctx.webSessions.start(outcome.user.id, outcome.aal, client));
  await ctx.webAuth.signIn.signedIn(outcome.user, method, web.device(request, reply), client);
  return next;
}

/** Codes a page shows as a message next to its form (everything else is an error page). */
const FORM_ERRORS = new Set([
  'E_BAD_CREDENTIALS', 'E_RATE_LIMITED', 'E_EMAIL_NOT_VERIFIED', 'E_OTP_INVALID', 'E_OTP_REPLAYED', 'E_OTP_OUT_OF_SYNC',
  'E_PASSWORD_REJECTED', 'E_PASSWORD_BREACHED', 'E_BREACH_CHECK_UNAVAILABLE', 'E_WEBAUTHN_INVALID', 'E_USER_EXISTS', 'E_BAD_REQUEST',
  'E_FACTOR_EXISTS', 'E_LINK_INVALID', 'E_RECOVERY_REFUSED',
]);

/** The error when a form page should show it, else undefined (rethrow). */
export function formError(err: unknown): RegistryError | undefined {
  return isRegistryError(err) && FORM_ERRORS.has(err.code) ? err : undefined;
}

/** The HTTP status of a refusal shown on a page; its headers (Retry-After on 429) go on the reply. */
export function statusOf(err: RegistryError, reply?: FastifyReply): number {
  if (reply) for (const [name, value] of Object.entries(err.headers)) reply.header(name, value);
  return ERROR_TABLE[err.code].status;
}

/** JSON endpoints of the WebAuthn script answer errors as JSON (the page shows `error`). */
export async function jsonAnswer(reply: FastifyReply, work: () => Promise<unknown>): Promise<FastifyReply> {
  reply.header('cache-control', 'no-store');
  try {
    return reply.send(await work());
  } catch (err) {
    if (!isRegistryError(err) || err.code === 'E_INTERNAL') throw err;
    if (err.headers) reply.headers(err.headers);
    return reply.code(statusOf(err)).send({ error: err.message, code: err.code });
  }
}
