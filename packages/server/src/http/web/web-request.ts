import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { ActiveSession, ClientInfo, WebSessions } from '../../services/web-sessions.js';
import type { PageFrame } from './layout.js';
import type { StaticAssets } from './static-assets.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in browser session, resolved for web routes only. */
    webSession: ActiveSession | null;
  }
}

export interface WebRequestOptions {
  readonly sessions: WebSessions;
  /** Secure cookies with the __Host- prefix (HTTPS deployments). */
  readonly secureCookies: boolean;
  readonly basePath: string;
  readonly assets: StaticAssets;
  readonly baseUrlOf: (request: FastifyRequest) => string;
}

/** Cookie names: `__Host-` pins a cookie to this exact origin (no Domain, Path=/, Secure). */
function cookieNames(secure: boolean): { session: string; csrf: string } {
  return secure ? { session: '__Host-bulwark-session', csrf: '__Host-bulwark-csrf' } : { session: 'bulwark-session', csrf: 'bulwark-csrf' };
}

/**
 * Cookies, CSRF and sessions for the web UI, registered in the UI's own Fastify context so the
 * npm API's hot path never parses a cookie. CSRF: a token per form tied to a secret cookie
 * (@fastify/csrf-protection), SameSite cookies, and an Origin check on every form post.
 */
export async function registerWebRequest(app: FastifyInstance, options: WebRequestOptions): Promise<WebHelpers> {
  const names = cookieNames(options.secureCookies);
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: names.csrf,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: options.secureCookies },
  });
  app.decorateRequest('webSession', null);
  app.addHook('preHandler', async (request) => {
    request.webSession = await options.sessions.resume(request.cookies[names.session]);
  });

  const sameOrigin: preHandlerAsyncHookHandler = async (request) => {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null' && origin !== new URL(options.baseUrlOf(request)).origin) {
      throw new RegistryError('E_FORBIDDEN', 'This form was posted from another site.');
    }
  };

  return {
    protectForm: [sameOrigin, app.csrfProtection as unknown as preHandlerAsyncHookHandler],
    frame(request, reply) {
      return {
        base: options.basePath,
        stylesheet: options.assets.url('app.css'),
        userName: request.webSession?.user.name ?? null,
        csrf: reply.generateCsrf(),
      };
    },
    setSession(reply, value) {
      reply.setCookie(names.session, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies });
    },
    clearSession(reply) {
      reply.clearCookie(names.session, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies });
    },
    client(request) {
      return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') };
    },
  };
}

export interface WebHelpers {
  /** preHandlers for every state-changing form route. */
  readonly protectForm: preHandlerAsyncHookHandler[];
  frame(request: FastifyRequest, reply: FastifyReply): PageFrame;
  setSession(reply: FastifyReply, value: string): void;
  clearSession(reply: FastifyReply): void;
  client(request: FastifyRequest): ClientInfo;
}
