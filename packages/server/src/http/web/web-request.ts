import { randomBytes } from 'node:crypto';
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
function cookieNames(secure: boolean): { session: string; csrf: string; flow: string; device: string } {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}bulwark-session`, csrf: `${prefix}bulwark-csrf`, flow: `${prefix}bulwark-flow`, device: `${prefix}bulwark-device` };
}

const RANDOM_VALUE = /^[A-Za-z0-9_-]{43}$/;

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

  /** A random cookie value (256 bits), set when the browser has none yet; the server keeps only hashes of it. */
  function randomCookie(request: FastifyRequest, reply: FastifyReply, name: string, opts: { maxAge: number }): string {
    const existing = request.cookies[name];
    if (existing && RANDOM_VALUE.test(existing)) return existing;
    const value = randomBytes(32).toString('base64url');
    reply.setCookie(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: opts.maxAge });
    request.cookies[name] = value;
    return value;
  }

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
        script: options.assets.url('build/webauthn.js'),
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
    flow(request, reply) {
      return randomCookie(request, reply, names.flow, { maxAge: 30 * 60 });
    },
    device(request, reply) {
      return randomCookie(request, reply, names.device, { maxAge: 400 * 24 * 3600 });
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
  /** The random value of this browser's flow cookie (pre-sign-in steps, WebAuthn challenges), made on first use. */
  flow(request: FastifyRequest, reply: FastifyReply): string;
  /** A long-lived random value naming this browser, for "sign-in from a new device" mail. */
  device(request: FastifyRequest, reply: FastifyReply): string;
}
