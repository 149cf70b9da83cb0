import type { ProbeContext } from '../context.js';
import { evidenceOf, isObject, type HttpAnswer } from '../http.js';
import type { Evidence } from '../types.js';

export interface AccountToken {
  readonly token: string;
  /** Where it came from: the operator's --token, or a sign-in this run made (revoked at the end). */
  readonly source: 'given' | 'login';
  readonly evidence: readonly Evidence[];
  /** The sign-in was challenged for a second factor (401 WWW-Authenticate: OTP). */
  readonly otpChallenged: boolean;
}

export type TokenOutcome = { readonly ok: true; readonly value: AccountToken } | { readonly ok: false; readonly reason: string; readonly evidence: readonly Evidence[] };

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** npm's OTP challenge: 401 with WWW-Authenticate naming OTP, or a body saying "one-time pass". */
export function isOtpChallenge(answer: HttpAnswer): boolean {
  if (answer.status !== 401) return false;
  return /otp/i.test(answer.headers.get('www-authenticate') ?? '') || /one-time pass/i.test(answer.text);
}

/** npm login --auth-type=legacy: PUT the couch user document; on 409 (user exists), again with Basic auth as npm does. */
export async function couchLogin(ctx: ProbeContext, user: string, password: string, otp?: string): Promise<HttpAnswer> {
  const body = JSON.stringify({ _id: `org.couchdb.user:${user}`, name: user, password, type: 'user', roles: [], date: new Date().toISOString() });
  const send = (extra: Record<string, string>) => ctx.http.request(`-/user/org.couchdb.user:${encodeURIComponent(user)}`, {
    method: 'PUT', body, write: {},
    headers: { 'content-type': 'application/json', ...(otp ? { 'npm-otp': otp } : {}), ...extra },
  });
  const first = await send({});
  if (first.status !== 409) return first;
  return send({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
}

/** The token account probes use: --token as given, or (with --allow-writes) a sign-in like `npm login --auth-type=legacy`. */
export function accountToken(ctx: ProbeContext): Promise<TokenOutcome> {
  return ctx.once('account-token', async (): Promise<TokenOutcome> => {
    const account = ctx.options.account ?? {};
    if (account.token) return { ok: true, value: { token: account.token, source: 'given', evidence: [], otpChallenged: false } };
    if (!account.user || account.password === undefined) return { ok: false, reason: 'no test account given (--token, or --user with --password-stdin)', evidence: [] };
    if (!ctx.options.allowWrites) return { ok: false, reason: 'signing in with --user/--password creates a token, so it needs --allow-writes (or pass --token)', evidence: [] };
    const evidence: Evidence[] = [];
    let answer = await couchLogin(ctx, account.user, account.password);
    evidence.push(evidenceOf(answer, `sign-in as ${account.user}`, 'account'));
    const challenged = isOtpChallenge(answer);
    if (challenged && account.totpSecret) {
      answer = await couchLogin(ctx, account.user, account.password, await ctx.totpCodes.next(account.totpSecret));
      evidence.push(evidenceOf(answer, 'sign-in retried with npm-otp from --totp-secret', 'account'));
    }
    const token = isObject(answer.json) && typeof answer.json.token === 'string' ? answer.json.token : null;
    if (answer.status >= 300 || !token) return { ok: false, reason: `sign-in failed: ${answer.status}${challenged && !account.totpSecret ? ' (a second factor is required: pass --totp-secret)' : ''}`, evidence };
    return { ok: true, value: { token, source: 'login', evidence, otpChallenged: challenged } };
  });
}

/** Ends the sign-in this run made (npm logout: DELETE /-/user/token/<token>). */
export async function endSignIn(ctx: ProbeContext): Promise<void> {
  const outcome = await accountToken(ctx);
  if (!outcome.ok || outcome.value.source !== 'login') return;
  const answer = await ctx.http.request(`-/user/token/${encodeURIComponent(outcome.value.token)}`, { method: 'DELETE', write: {}, headers: bearer(outcome.value.token) });
  if (answer.status >= 300) ctx.leftBehind.push(`the sign-in token this run created (logout answered ${answer.status})`);
}

/** A profile read (npm profile get): GET /-/npm/v1/user. */
export function profile(ctx: ProbeContext): Promise<{ answer: HttpAnswer | null; reason: string }> {
  return ctx.once('profile', async () => {
    const t = await accountToken(ctx);
    if (!t.ok) return { answer: null, reason: t.reason };
    return { answer: await ctx.http.get('-/npm/v1/user', bearer(t.value.token)), reason: '' };
  });
}
