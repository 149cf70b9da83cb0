import type { FastifyInstance, FastifyReply } from 'fastify';
import { RegistryError, isRegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { NpmLoginPage as LoginPage } from '../web/pages/npm-login-page.js';
import { sendPage } from '../web/page-reply.js';
import type { WebHelpers } from '../web/web-request.js';

/** npm's web login (npm-registry-api.md 3.1): POST /-/v1/login, a browser page, a polled done URL. */
export function registerWebLogin(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/-/v1/login', async (request, reply) => {
    const body = request.body as { create?: unknown } | undefined;
    // `npm adduser` asks for web sign-up. Any 4xx makes npm fall back to the couch flow, which
    // applies the registration policy; web sign-up itself arrives with verified email (AUTHN-1a).
    if (body && typeof body === 'object' && body.create === true) ctx.accounts.assertWebSignupAvailable();
    const { id, doneSecret } = await ctx.webLogin.start();
    const base = ctx.baseUrlOf(request);
    return reply.header('cache-control', 'no-store').send({
      loginUrl: `${base}/-/v1/login/${id}`,
      doneUrl: `${base}/-/v1/done/${id}?secret=${doneSecret}`,
    });
  });

  // npm polls with the failed request's method in some flows (npm-registry-api.md 1.4): accept any.
  app.route<{ Params: { id: string }; Querystring: { secret?: string } }>({
    method: ['GET', 'POST', 'PUT'],
    url: '/-/v1/done/:id',
    handler: async (request, reply) => {
      const secret = request.query.secret;
      if (typeof secret !== 'string') throw new RegistryError('E_NOT_FOUND', 'Unknown login request.');
      const token = await ctx.webLogin.poll(request.params.id, secret);
      reply.header('cache-control', 'no-store');
      if (token === null) return reply.code(202).header('retry-after', '1').send({});
      return reply.send({ token });
    },
  });
}

/** The browser half of npm's web login: the page the CLI opens (in the web UI's context: cookies, CSRF). */
export function registerWebLoginPages(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  app.get<{ Params: { id: string } }>('/-/v1/login/:id', async (request, reply) => {
    if (!(await ctx.webLogin.exists(request.params.id))) return sendPage(reply, 404, LoginPage({ frame: web.frame(request, reply), action: null, error: 'This login link has expired or was used. Run npm login again.' }));
    return sendPage(reply, 200, LoginPage({ frame: web.frame(request, reply), action: `${ctx.basePath}/-/v1/login/${request.params.id}` }));
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/-/v1/login/:id', { preHandler: web.protectForm }, async (request, reply) => {
    const action = `${ctx.basePath}/-/v1/login/${request.params.id}`;
    const body = request.body ?? {};
    try {
      await ctx.webLogin.complete(request.params.id, String(body.username ?? ''), String(body.password ?? ''), { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    } catch (err) {
      if (!isRegistryError(err)) throw err;
      reply.headers(err.headers);
      return sendPage(reply, err.code === 'E_NOT_FOUND' ? 404 : err.code === 'E_RATE_LIMITED' ? 429 : 401, LoginPage({ frame: web.frame(request, reply), action, error: err.message }));
    }
    return sendPage(reply, 200, LoginPage({ frame: web.frame(request, reply), action, done: true }));
  });
}
