import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError, isRegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { NpmLoginPage as LoginPage } from '../web/pages/npm-login-page.js';
import { redirectAfterPost, sendPage } from '../web/page-reply.js';
import { formError, signInDestination, statusOf } from '../web/sign-in-flow.js';
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

/**
 * The browser half of npm's web login: the page the CLI opens (in the web UI's context: cookies,
 * CSRF). It signs in like the main sign-in (password then second factor, or a passkey); a
 * signed-in browser allows npm in with one click.
 */
export function registerWebLoginPages(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const actionOf = (id: string) => `${ctx.basePath}/-/v1/login/${encodeURIComponent(id)}`;
  const page = (request: FastifyRequest, reply: FastifyReply, status: number, props: Omit<Parameters<typeof LoginPage>[0], 'frame'>) =>
    sendPage(reply, status, LoginPage({ frame: web.frame(request, reply), ...props }));

  app.get<{ Params: { id: string } }>('/-/v1/login/:id', async (request, reply) => {
    if (!(await ctx.webLogin.exists(request.params.id))) return page(request, reply, 404, { action: null, error: 'This login link has expired or was used. Run npm login again.' });
    web.flow(request, reply);
    return page(request, reply, 200, { action: actionOf(request.params.id), signedInAs: request.webSession?.user.name ?? null });
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/-/v1/login/:id', { preHandler: web.protectForm }, async (request, reply) => {
    const id = request.params.id;
    const action = actionOf(id);
    const body = request.body ?? {};
    try {
      if (body.approve === '1' && request.webSession) {
        await ctx.webLogin.completeForUser(id, request.webSession.user.id);
        return page(request, reply, 200, { action, done: true });
      }
      if (!(await ctx.webLogin.exists(id))) throw new RegistryError('E_NOT_FOUND', 'This login request is unknown, expired or already used; run npm login again.');
      const outcome = await ctx.webAuth.signIn.password({ flow: web.flow(request, reply) }, String(body.username ?? '').trim().slice(0, 214), String(body.password ?? ''), web.client(request));
      const destination = await signInDestination(ctx, web, request, reply, outcome, action, 'password');
      if (outcome.kind !== 'signed-in') return redirectAfterPost(reply, destination);
      await ctx.webLogin.completeForUser(id, outcome.user.id);
    } catch (err) {
      if (!isRegistryError(err)) throw err;
      if (err.code === 'E_NOT_FOUND') return page(request, reply, 404, { action: null, error: err.message });
      const shown = formError(err);
      if (!shown) throw err;
      return page(request, reply, statusOf(shown, reply), { action, error: shown.message });
    }
    return page(request, reply, 200, { action, done: true });
  });
}
