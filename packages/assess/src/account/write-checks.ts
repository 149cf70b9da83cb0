import { randomBytes } from 'node:crypto';
import { encodePackagePath, type ProbeContext } from '../context.js';
import { evidenceOf, isObject, type HttpAnswer } from '../http.js';
import type { Evidence } from '../types.js';
import { publishBody } from './tarball.js';
import { accountToken, bearer, couchLogin, isOtpChallenge } from './session.js';

/** The anti-virus test string (not malware; every scanner detects it), split so this file is not flagged. */
const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join('');

/** One observation from the write sequence: `refused` is what a secure registry does. */
export interface WriteObservation {
  readonly tried: boolean;
  /** The registry refused (4xx) the request. */
  readonly refused: boolean;
  readonly evidence: readonly Evidence[];
  readonly note: string;
}

export interface WriteChecks {
  readonly ran: boolean;
  readonly reason: string;
  /** First publish without a second factor: challenged with WWW-Authenticate: OTP? */
  readonly publishWithoutOtp?: WriteObservation;
  /** Same name@version published again with other bytes. */
  readonly republish?: WriteObservation;
  /** name@version published again after an unpublish. */
  readonly reuseAfterUnpublish?: WriteObservation;
  /** A package carrying the EICAR test string. */
  readonly malwareUpload?: WriteObservation;
  /** A token created for package A, used to publish package B. */
  readonly scopedToken?: WriteObservation & { readonly token?: string };
  /** Wrong passwords in a row: did a throttle or lock answer? */
  readonly bruteForce?: WriteObservation;
}

const notTried = (note: string): WriteObservation => ({ tried: false, refused: false, evidence: [], note });

/**
 * The write probes, run once per assessment and only with --allow-writes, a test account and a
 * scope: every package they touch is named `<scope>/bulwark-assess-<run>...`, and each is
 * unpublished (or, if the registry refuses that, deprecated) at the end. What could not be
 * removed goes into the report's leftBehind list, which is itself evidence of the unpublish policy.
 */
export function writeChecks(ctx: ProbeContext): Promise<WriteChecks> {
  return ctx.once('write-checks', () => runWriteChecks(ctx));
}

async function runWriteChecks(ctx: ProbeContext): Promise<WriteChecks> {
  if (!ctx.options.allowWrites) return { ran: false, reason: 'write probes need --allow-writes' };
  if (!ctx.scope) return { ran: false, reason: 'write probes need --scope @x to publish in' };
  const t = await accountToken(ctx);
  if (!t.ok) return { ran: false, reason: t.reason };
  const token = t.value.token;
  const account = ctx.options.account ?? {};
  const run = randomBytes(4).toString('hex');
  const nameA = `${ctx.scope}/bulwark-assess-${run}`;
  const published = new Set<string>();
  // A new 30-second step for every write, never the sign-in's (the registry refuses a replayed code).
  const freshCode = (secret: string): Promise<string> => ctx.totpCodes.next(secret);

  const publish = async (name: string, version: string, files: Record<string, string>, as = token, withOtp = false): Promise<HttpAnswer> => {
    const { body } = publishBody(ctx.http.url(''), name, version, files);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...bearer(as) };
    if (withOtp && account.totpSecret) headers['npm-otp'] = await freshCode(account.totpSecret);
    const answer = await ctx.http.request(encodePackagePath(name), { method: 'PUT', body, headers, write: { packageName: name } });
    if (answer.status >= 200 && answer.status < 300) published.add(name);
    return answer;
  };
  const otpHeaders = async (): Promise<Record<string, string>> => (account.totpSecret ? { 'npm-otp': await freshCode(account.totpSecret) } : {});

  // 1. Publish without a second factor (AUTHN-3b/2c), then with one if challenged.
  const first = await publish(nameA, '1.0.0', { 'index.js': 'module.exports = 1;\n' });
  const firstEvidence = [evidenceOf(first, `publish ${nameA}@1.0.0 without npm-otp`, 'account')];
  const challenged = isOtpChallenge(first);
  let ok = first.status >= 200 && first.status < 300;
  let needOtp = false;
  if (challenged && account.totpSecret) {
    const retry = await publish(nameA, '1.0.0', { 'index.js': 'module.exports = 1;\n' }, token, true);
    firstEvidence.push(evidenceOf(retry, 'publish retried with npm-otp', 'account'));
    ok = retry.status >= 200 && retry.status < 300;
    needOtp = true;
  }
  const result: { -readonly [K in keyof WriteChecks]: WriteChecks[K] } = {
    ran: true, reason: '',
    publishWithoutOtp: { tried: true, refused: challenged, evidence: firstEvidence, note: challenged ? 'publish without a second factor was challenged (401 WWW-Authenticate: OTP)' : ok ? 'publish succeeded without a second factor' : `publish failed: ${first.status}` },
  };
  if (!ok) {
    result.reason = `the first publish in ${ctx.scope} did not succeed (${first.status}${challenged ? '; pass --totp-secret' : ''}), so later write probes could not run`;
    await cleanUp(ctx, token, published, otpHeaders);
    return result;
  }

  // 2. The same version with other bytes (GEN-2a: a version can never be replaced).
  const again = await publish(nameA, '1.0.0', { 'index.js': 'module.exports = 2;\n' }, token, needOtp);
  result.republish = { tried: true, refused: again.status >= 400, evidence: [evidenceOf(again, `publish ${nameA}@1.0.0 again with other bytes`, 'account')], note: again.status >= 400 ? 'replacing a version was refused' : 'the version was replaced' };

  // 3. The EICAR test string (GEN-2c).
  const nameC = `${nameA}-eicar`;
  const eicar = await publish(nameC, '1.0.0', { 'index.js': `// ${EICAR}\n` }, token, needOtp);
  // Only a refusal that names the content counts: a refusal for another reason (a second factor,
  // the name policy, a rate limit) says nothing about scanning.
  const scanned = eicar.status >= 400 && /malware|virus|eicar|scan|quarantin|malicious/i.test(eicar.text);
  const evidence = [evidenceOf(eicar, `publish ${nameC}@1.0.0 carrying the EICAR test string`, 'account')];
  result.malwareUpload = eicar.status >= 400 && !scanned
    ? { tried: false, refused: true, evidence, note: `the upload was refused for another reason (${eicar.status})` }
    : { tried: true, refused: scanned, evidence, note: scanned ? 'the upload was refused as malicious' : 'the upload was accepted' };

  // 4. A token for package A only, used on package B (AUTHZ-1a).
  result.scopedToken = await scopedTokenCheck(ctx, nameA, otpHeaders, publish);

  // 5. Unpublish, then publish the same name@version again (GEN-2a: never reusable).
  const removed = await unpublish(ctx, nameA, token, otpHeaders);
  if (removed.ok) {
    published.delete(nameA);
    const reuse = await publish(nameA, '1.0.0', { 'index.js': 'module.exports = 3;\n' }, token, needOtp);
    result.reuseAfterUnpublish = { tried: true, refused: reuse.status >= 400, evidence: [...removed.evidence, evidenceOf(reuse, `publish ${nameA}@1.0.0 after unpublishing it`, 'account')], note: reuse.status >= 400 ? 'reusing an unpublished name@version was refused' : 'an unpublished name@version was published again' };
  } else {
    result.reuseAfterUnpublish = { tried: true, refused: true, evidence: removed.evidence, note: 'unpublish itself was refused, so a deleted version cannot be reused through it' };
  }

  await cleanUp(ctx, token, published, otpHeaders);
  result.bruteForce = await bruteForceCheck(ctx);
  return result;
}

type Publish = (name: string, version: string, files: Record<string, string>, as?: string, withOtp?: boolean) => Promise<HttpAnswer>;

async function scopedTokenCheck(ctx: ProbeContext, nameA: string, otpHeaders: () => Promise<Record<string, string>>, publish: Publish): Promise<WriteObservation & { token?: string }> {
  const account = ctx.options.account ?? {};
  const t = await accountToken(ctx);
  if (!t.ok) return notTried(t.reason);
  if (account.password === undefined) return notTried('creating a package-scoped token needs the account password (--password-stdin)');
  const body = JSON.stringify({ name: 'bulwark-assess', password: account.password, packages: [nameA], packages_and_scopes_permission: 'read-write', expires: 1 });
  const created = await ctx.http.request('-/npm/v1/tokens', { method: 'POST', body, write: {}, headers: { 'content-type': 'application/json', ...bearer(t.value.token), ...(await otpHeaders()) } });
  const evidence: Evidence[] = [evidenceOf({ ...created, text: created.text.replace(/"token"\s*:\s*"[^"]*"/, '"token":"[redacted]"') }, `npm token create --packages ${nameA}`, 'account')];
  const scoped = isObject(created.json) && typeof created.json.token === 'string' ? created.json.token : null;
  if (!scoped) return { tried: true, refused: false, evidence, note: `the registry did not issue a package-scoped token (${created.status})` };
  const other = `${nameA}-other`;
  const misuse = await publish(other, '1.0.0', { 'index.js': 'module.exports = 0;\n' }, scoped, true);
  evidence.push(evidenceOf(misuse, `publish ${other} with the token scoped to ${nameA}`, 'account'));
  const key = isObject(created.json) && typeof created.json.key === 'string' ? created.json.key : scoped;
  const revoke = await ctx.http.request(`-/npm/v1/tokens/token/${encodeURIComponent(key)}`, { method: 'DELETE', write: {}, headers: { ...bearer(t.value.token), ...(await otpHeaders()) } });
  evidence.push(evidenceOf(revoke, 'revoke the scoped token', 'account'));
  if (revoke.status >= 300) ctx.leftBehind.push(`the package-scoped token created for ${nameA} (revoke answered ${revoke.status}; it expires in 1 day)`);
  return { tried: true, refused: misuse.status >= 400, evidence, note: misuse.status >= 400 ? 'the token was refused outside its package' : 'the token scoped to one package published another', token: scoped };
}

async function unpublish(ctx: ProbeContext, name: string, token: string, otpHeaders: () => Promise<Record<string, string>>): Promise<{ ok: boolean; evidence: Evidence[] }> {
  const doc = await ctx.http.request(`${encodePackagePath(name)}?write=true`, { headers: { ...bearer(token), accept: 'application/json' } });
  const rev = isObject(doc.json) && typeof doc.json._rev === 'string' ? doc.json._rev : '0-0';
  const del = await ctx.http.request(`${encodePackagePath(name)}/-rev/${encodeURIComponent(rev)}`, { method: 'DELETE', write: { packageName: name }, headers: { ...bearer(token), ...(await otpHeaders()) } });
  return { ok: del.status >= 200 && del.status < 300, evidence: [evidenceOf(del, `npm unpublish ${name} --force`, 'account')] };
}

/** Unpublish what this run published; where refused, deprecate it and record it as left behind. */
async function cleanUp(ctx: ProbeContext, token: string, published: Set<string>, otpHeaders: () => Promise<Record<string, string>>): Promise<void> {
  for (const name of published) {
    const removed = await unpublish(ctx, name, token, otpHeaders);
    if (removed.ok) continue;
    const doc = await ctx.http.request(`${encodePackagePath(name)}?write=true`, { headers: { ...bearer(token), accept: 'application/json' } });
    let deprecated = false;
    if (isObject(doc.json) && isObject(doc.json.versions)) {
      for (const v of Object.values(doc.json.versions)) if (isObject(v)) v.deprecated = 'bulwark assess probe package; safe to ignore';
      const put = await ctx.http.request(encodePackagePath(name), { method: 'PUT', body: JSON.stringify(doc.json), write: { packageName: name }, headers: { 'content-type': 'application/json', ...bearer(token), ...(await otpHeaders()) } });
      deprecated = put.status >= 200 && put.status < 300;
    }
    ctx.leftBehind.push(`${name} (unpublish refused: ${removed.evidence[0]?.result ?? '?'}; ${deprecated ? 'deprecated instead' : 'could not deprecate either'})`);
  }
}

/** AUTHN-1e: eight wrong passwords for the test account; a throttle (429) or lock must answer. */
async function bruteForceCheck(ctx: ProbeContext): Promise<WriteObservation> {
  const account = ctx.options.account ?? {};
  if (!account.user) return notTried('the brute-force probe needs --user (it sends wrong passwords for that account, which may lock it for a while)');
  const evidence: Evidence[] = [];
  const wrong = `wrong-${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; attempt <= 8; attempt++) {
    const answer = await couchLogin(ctx, account.user, wrong);
    const throttled = answer.status === 429 || /locked|too many|try again/i.test(answer.text);
    if (throttled || attempt === 8) {
      evidence.push(evidenceOf(answer, `wrong password, attempt ${attempt}`, 'account'));
      return { tried: true, refused: throttled, evidence, note: throttled ? `throttled at attempt ${attempt}` : 'eight wrong passwords in a row were answered without a throttle or lock' };
    }
    if (attempt === 1) evidence.push(evidenceOf(answer, 'wrong password, attempt 1', 'account'));
  }
  return notTried('unreachable');
}
