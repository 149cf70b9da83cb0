import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserIdentity } from '../../domain/actor.js';
import { RegistryError } from '../../domain/errors.js';
import { isJsonObject } from '../../domain/json-object.js';
import type { RouteContext } from '../context.js';
import { requireUser } from '../plugins/authenticate.js';
import { presentedOtp } from '../write-actor.js';

const PREFIX = 'org.couchdb.user:';

function userFromParam(raw: string): string {
  if (!raw.startsWith(PREFIX)) throw new RegistryError('E_NOT_FOUND', 'Not found');
  return raw.slice(PREFIX.length);
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (!isJsonObject(body)) throw new RegistryError('E_BAD_REQUEST', 'The body must be a JSON object.');
  return body;
}

/**
 * The second step of a legacy login, after the password (AUTHN-1c): an account with a second
 * factor must send it as `npm-otp`; without it npm gets the 401 `WWW-Authenticate: OTP` challenge,
 * prompts for the code and repeats the PUT. The same checks as a write's factor (throttled,
 * logged, replay-proof); an account without a factor passes.
 */
async function assertLoginFactor(ctx: RouteContext, request: FastifyRequest, user: UserIdentity): Promise<void> {
  const presented = { otp: presentedOtp(request), ip: request.ip, userAgent: request.headers['user-agent'] ?? null, baseUrl: ctx.baseUrlOf(request) };
  await ctx.mfa.assertWrite({ kind: 'user', user, via: 'password' }, presented, { action: 'login', what: `sign in to npm as ${user.name}` }, ctx.webOtp);
}

/** npm's legacy CouchDB login and adduser (npm-registry-api.md 3.2, 3.3). */
export function registerCouchUsers(app: FastifyInstance, ctx: RouteContext): void {
  app.put<{ Params: { user: string } }>('/-/user/:user', async (request, reply) => {
    const name = userFromParam(request.params.user);
    const body = bodyObject(request.body);
    if (typeof body.password !== 'string' || body.password === '') throw new RegistryError('E_BAD_REQUEST', 'A password is required.');
    if (body.name !== undefined && body.name !== name) throw new RegistryError('E_BAD_REQUEST', 'The user name in the body does not match the URL.');
    let userId: number;
    if (typeof body.email === 'string' && !(await ctx.accounts.userExists(name))) {
      userId = (await ctx.accounts.register({ name, email: body.email, password: body.password })).id;
    } else {
      // A login: known or unknown account, the same throttled check and the same answer (AUTHN-1e);
      // only then the second factor, so its challenge never speaks for a wrong password.
      const user = await ctx.passwordCheck.check(name, body.password, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
      await assertLoginFactor(ctx, request, { id: user.id, name: user.name, email: user.email, isAdmin: user.isAdmin });
      userId = user.id;
    }
    const { token } = await ctx.accounts.issueToken(userId, { name: 'npm login (legacy)' });
    return reply.code(201).header('cache-control', 'no-store').send({ ok: true, id: `${PREFIX}${name}`, token });
  });

  // The 409 path: npm re-sends the merged document to /-rev/<rev> with Basic credentials.
  app.put<{ Params: { user: string; rev: string } }>('/-/user/:user/-rev/:rev', async (request, reply) => {
    const name = userFromParam(request.params.user);
    const actor = requireUser(await ctx.actorOf(request));
    if (actor.user.name !== name || actor.via !== 'password') throw new RegistryError('E_FORBIDDEN', 'Log in as this user with their password.');
    await assertLoginFactor(ctx, request, actor.user);
    const { token } = await ctx.accounts.issueToken(actor.user.id, { name: 'npm login (legacy)' });
    return reply.code(201).header('cache-control', 'no-store').send({ ok: true, id: `${PREFIX}${name}`, token });
  });

  app.get<{ Params: { user: string } }>('/-/user/:user', async (request, reply) => {
    const name = userFromParam(request.params.user);
    const actor = requireUser(await ctx.actorOf(request));
    const user = await ctx.accounts.findUser(name);
    const doc: Record<string, unknown> = { _id: `${PREFIX}${user.name}`, name: user.name, email: user.email, type: 'user', roles: [] };
    if (actor.user.id === user.id) doc._rev = `1-${user.updatedAt.getTime().toString(16)}`;
    return reply.header('cache-control', 'no-store').send(doc);
  });

  app.delete<{ Params: { token: string } }>('/-/user/token/:token', async (request, reply) => {
    const actor = requireUser(await ctx.actorOf(request));
    const presented = request.params.token;
    const header = request.headers.authorization ?? '';
    // Only the token in use may log itself out; revoking others is `npm token revoke`.
    if (actor.via !== 'token' || header.slice(7).trim() !== presented) throw new RegistryError('E_FORBIDDEN', 'A token can only log itself out.');
    await ctx.accounts.revokePresentedToken(presented);
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });
}
