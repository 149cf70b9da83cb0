import { createPublicKey, createVerify } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { accountToken, bearer } from '../account/session.js';
import { writeChecks } from '../account/write-checks.js';
import { encodePackagePath, withDeclaration, type ProbeContext } from '../context.js';
import { evidenceOf, isObject } from '../http.js';
import type { Evidence } from '../types.js';
import { fromRefusal, outcome, type ProbeTable } from './probe.js';

/** Secret-reporting endpoints (GitHub partner protocol); none is standard for npm. Bulwark's first. */
export const SECRET_REPORT_PATHS = ['-/bulwark/v1/secret-scanning/github'];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** `<prefix>_<random><6 base62 CRC32>`: GitHub's format, which npm and Bulwark use. */
export function tokenShape(token: string): { prefix: string | null; checksum: boolean } {
  const m = /^([a-z][a-z0-9]{1,15})_([0-9A-Za-z]{20,})$/.exec(token);
  if (!m) return { prefix: null, checksum: false };
  const body = m[2]!;
  const random = body.slice(0, -6);
  const sum = body.slice(-6);
  return { prefix: `${m[1]}_`, checksum: base62(crc32(random), 6) === sum || base62(crc32(`${m[1]}_${random}`), 6) === sum };
}

/** Verifies npm registry signatures: ECDSA P-256 over `${name}@${version}:${integrity}` (pacote). */
function verifySignature(keys: readonly Record<string, unknown>[], name: string, version: string, dist: Record<string, unknown>): 'valid' | 'invalid' | 'none' {
  const sigs = Array.isArray(dist.signatures) ? dist.signatures.filter(isObject) : [];
  if (sigs.length === 0 || typeof dist.integrity !== 'string') return 'none';
  for (const sig of sigs) {
    const key = keys.find((k) => k.keyid === sig.keyid);
    if (!key || typeof key.key !== 'string' || typeof sig.sig !== 'string') continue;
    try {
      const pub = createPublicKey({ key: Buffer.from(key.key, 'base64'), format: 'der', type: 'spki' });
      if (createVerify('SHA256').update(`${name}@${version}:${dist.integrity}`).verify(pub, Buffer.from(sig.sig, 'base64'))) return 'valid';
    } catch { /* a malformed key is simply not valid */ }
  }
  return 'invalid';
}

async function observedToken(ctx: ProbeContext): Promise<{ token: string; source: string } | { reason: string }> {
  const t = await accountToken(ctx);
  if (t.ok) return { token: t.value.token, source: t.value.source === 'given' ? 'the --token given' : 'the token this run signed in for' };
  return { reason: t.reason };
}

export const AUTHZ_PROBES: ProbeTable = {
  async 'AUTHZ-1a'(ctx) {
    const w = await writeChecks(ctx);
    if (w.scopedToken?.tried) {
      const created = w.scopedToken.evidence.length > 1;
      if (!created) return outcome('not-met', w.scopedToken.note, w.scopedToken.evidence);
      return fromRefusal(w.scopedToken, '', 'package-scoped tokens are enforced', 'package scoping is ignored');
    }
    const list = await ctx.http.get('-/npm/v1/tokens');
    const ev = [evidenceOf(list, 'token API without credentials')];
    if (list.status === 404) return outcome('not-met', 'GET /-/npm/v1/tokens is 404: no token API to create scoped tokens', ev);
    return withDeclaration(ctx, 'AUTHZ-1a', outcome('cannot-tell', `a token API answers, but whether package scopes are enforced needs a write probe: ${w.scopedToken?.note ?? w.reason}`, ev));
  },

  async 'AUTHZ-1b'(ctx) {
    const t = await observedToken(ctx);
    if ('reason' in t) return withDeclaration(ctx, 'AUTHZ-1b', outcome('cannot-tell', `needs a token to look at: ${t.reason}`));
    const shape = tokenShape(t.token);
    const ev: Evidence[] = [{ kind: 'account', what: `shape of ${t.source}`, result: shape.prefix ? `prefix ${shape.prefix}` : `no prefix (starts "${t.token.slice(0, 4)}…")` }];
    return shape.prefix ? outcome('met', `tokens carry the prefix ${shape.prefix}`, ev) : outcome('not-met', 'the token has no repository-specific prefix', ev);
  },

  async 'AUTHZ-2a'(ctx) {
    if (!ctx.scope) return withDeclaration(ctx, 'AUTHZ-2a', outcome('cannot-tell', 'pass --scope @x to look at its organisation roles (npm org ls)'));
    const t = await accountToken(ctx);
    const answer = await ctx.http.get(`-/org/${encodeURIComponent(ctx.scope.slice(1))}/user`, t.ok ? bearer(t.value.token) : {});
    const ev = [evidenceOf(answer, 'npm org ls', t.ok ? 'account' : 'http')];
    if (answer.status === 200 && isObject(answer.json) && Object.values(answer.json).some((r) => r === 'owner' || r === 'admin' || r === 'developer')) {
      return outcome('met', 'the organisation lists owner/admin/developer roles', ev);
    }
    if (answer.status === 404 || answer.status === 405) return outcome('not-met', `npm org ls answered ${answer.status}: no organisation roles`, ev);
    return withDeclaration(ctx, 'AUTHZ-2a', outcome('cannot-tell', `npm org ls answered ${answer.status}`, ev));
  },

  async 'AUTHZ-3a'(ctx) {
    const name = (await ctx.samples())[0]?.name ?? `${ctx.scope ?? '@bulwark-assess'}/probe`;
    // An unsigned, expired token: a registry with trusted publishing must refuse it, and cannot mint.
    const bogus = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"iss":"https://invalid.example","exp":1}').toString('base64url')}.`;
    const exchange = await ctx.http.request(`-/npm/v1/oidc/token/exchange/package/${encodePackagePath(name)}`, { method: 'POST', headers: { authorization: `Bearer ${bogus}` } });
    const t = await accountToken(ctx);
    const trust = await ctx.http.get(`-/package/${encodePackagePath(name)}/trust`, t.ok ? bearer(t.value.token) : {});
    const ev = [evidenceOf(exchange, 'OIDC token exchange with an invalid identity token'), evidenceOf(trust, `npm trust list${t.ok ? ' (test account)' : ''}`)];
    if (exchange.status >= 200 && exchange.status < 300) return outcome('not-met', 'the exchange issued something for an unsigned, expired identity token', ev);
    if (exchange.status === 404 || exchange.status === 405 || exchange.status === 0) return outcome('not-met', `no OIDC token exchange (answered ${exchange.status})`, ev);
    // A refusal that is about the identity token shows a real exchange; a generic 401 does not.
    if (!/oidc|id.?token|identity|jwt|issuer|trusted/i.test(exchange.text)) {
      return withDeclaration(ctx, 'AUTHZ-3a', outcome('cannot-tell', `the exchange answered ${exchange.status} without saying why the identity token was refused`, ev));
    }
    const trustServed = (trust.status === 200 && Array.isArray(trust.json)) || ((trust.status === 401 || trust.status === 403) && !t.ok);
    if (trustServed) return outcome('met', `the exchange refused an invalid identity token (${exchange.status}) and trusted-publisher configuration (npm trust) is served${trust.status === 200 ? '' : ' to signed-in maintainers'}`, ev);
    return outcome('partly', `the exchange refused an invalid identity token (${exchange.status}), but npm trust answered ${trust.status}`, ev);
  },

  async 'AUTHZ-3b'(ctx) {
    const t = await observedToken(ctx);
    const evidence: Evidence[] = [];
    let shapeOk = false;
    if (!('reason' in t)) {
      const shape = tokenShape(t.token);
      shapeOk = shape.prefix !== null && shape.checksum;
      evidence.push({ kind: 'account', what: `checksum of ${t.source}`, result: shape.prefix ? (shape.checksum ? `${shape.prefix} + valid CRC32 checksum` : `${shape.prefix}, no valid checksum`) : 'no prefix' });
    }
    let endpoint = false;
    for (const path of SECRET_REPORT_PATHS) {
      // An unsigned, empty report: a real endpoint refuses it (400/401/403); 404 means there is none.
      const answer = await ctx.http.request(path, { method: 'POST', body: '[]', headers: { 'content-type': 'application/json' } });
      const refused = answer.status >= 400 && answer.status < 500 && answer.status !== 404 && answer.status !== 405;
      evidence.push(evidenceOf(answer, refused ? 'an unsigned report is refused' : 'no endpoint (or it accepted an unsigned report)'));
      if (refused) endpoint = true;
    }
    if ('reason' in t) return withDeclaration(ctx, 'AUTHZ-3b', outcome(endpoint ? 'cannot-tell' : 'not-met', `${endpoint ? 'a secret-report endpoint exists' : 'no documented secret-report endpoint answers'}; the token format needs a token: ${t.reason}`, evidence));
    if (!shapeOk) return outcome('not-met', 'tokens are not recognisable by scanners (prefix + checksum)', evidence);
    return endpoint ? outcome('met', 'prefix + checksum tokens and a secret-report endpoint', evidence)
      : withDeclaration(ctx, 'AUTHZ-3b', outcome('partly', `tokens carry a prefix and a valid checksum, but no secret-report endpoint answers (tried ${SECRET_REPORT_PATHS.map((p) => `/${p}`).join(', ')})`, evidence));
  },

  async 'AUTHZ-3c'(ctx) {
    const keys = await ctx.http.get('-/npm/v1/keys');
    const keyList = isObject(keys.json) && Array.isArray(keys.json.keys) ? keys.json.keys.filter(isObject) : [];
    const evidence: Evidence[] = [evidenceOf(keys, `${keyList.length} registry key(s)`)];
    const samples = await ctx.samples();
    let signed = 0;
    let provenance = 0;
    for (const s of samples) {
      const dist = isObject(s.manifest.dist) ? s.manifest.dist : {};
      const sig = verifySignature(keyList, s.name, s.version, dist);
      if (sig === 'valid') signed++;
      evidence.push({ kind: 'http', what: `${s.name}@${s.version} dist.signatures`, result: sig === 'valid' ? 'verifies against /-/npm/v1/keys' : sig === 'invalid' ? 'does NOT verify' : 'absent' });
      const att = await ctx.http.get(`-/npm/v1/attestations/${encodePackagePath(s.name)}@${s.version}`);
      const list = isObject(att.json) && Array.isArray(att.json.attestations) ? att.json.attestations.filter(isObject) : [];
      const slsa = list.some((a) => typeof a.predicateType === 'string' && a.predicateType.startsWith('https://slsa.dev/provenance/'));
      if (slsa) provenance++;
      evidence.push(evidenceOf(att, slsa ? 'SLSA provenance served' : `${list.length} attestation(s), no SLSA provenance`));
    }
    if (samples.length === 0) return withDeclaration(ctx, 'AUTHZ-3c', outcome(keyList.length ? 'cannot-tell' : 'not-met', `no package to look at (pass --package)${keyList.length ? '' : '; /-/npm/v1/keys serves no keys'}`, evidence));
    if (provenance > 0) return outcome('met', `${provenance} sampled version(s) serve SLSA provenance; ${signed} carry registry signatures that verify`, evidence);
    if (signed > 0 || keyList.length > 0) return outcome('partly', `registry signatures are served (${signed} verify) but no sampled version serves build provenance`, evidence);
    return outcome('not-met', 'no registry keys, signatures or provenance attestations are served', evidence);
  },
};
