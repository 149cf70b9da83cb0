import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import type { ApprovingFactor } from '../policy/critical-authenticator.js';
import type { WriteIntent } from '../services/write-second-factor.js';
import type { RouteContext } from './context.js';

/** The `npm-otp` header: the second factor presented with this request (npm-registry-api.md 1.4). */
export function presentedOtp(request: FastifyRequest): string | null {
  const value = request.headers['npm-otp'];
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first.slice(0, 200) : null;
}

/**
 * The actor of a write, after the MFA rule for that write is met (AUTHN-3b/3c): every write route
 * resolves its actor here instead of `ctx.actorOf`, so no write skips the second factor.
 */
export async function writeActorOf(ctx: RouteContext, request: FastifyRequest, intent: WriteIntent): Promise<Actor> {
  return (await checkedWrite(ctx, request, intent)).actor;
}

/** The same, also returning the second factor that was checked (null when the write needed none). */
export async function checkedWrite(ctx: RouteContext, request: FastifyRequest, intent: WriteIntent): Promise<{ actor: Actor; factor: ApprovingFactor | null }> {
  const actor = await ctx.actorOf(request);
  const userAgent = request.headers['user-agent'] ?? null;
  const factor = await ctx.mfa.assertWrite(actor, { otp: presentedOtp(request), ip: request.ip, userAgent, baseUrl: ctx.baseUrlOf(request) }, intent, ctx.webOtp);
  return { actor, factor };
}
