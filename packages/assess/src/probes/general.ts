import { createPublicKey, verify } from 'node:crypto';
import { writeChecks } from '../account/write-checks.js';
import { encodePackagePath, withDeclaration, type ProbeContext } from '../context.js';
import { evidenceOf, isObject, type HttpAnswer } from '../http.js';
import type { Evidence } from '../types.js';
import { firstFound, outcome, type ProbeTable } from './probe.js';

/** Bulwark's documented name-availability endpoint (npm defines none: npm/rfcs#676). */
export const NAME_AVAILABILITY_PATH = '-/bulwark/v1/names/availability';
/** Squats of names that are popular on npmjs; a guard that protects popular names refuses them. */
export const SQUATS = ['expresss', 'lodahs', 'reactt', 'crossenv'];
export const UNPUBLISH_POLICY_PATHS = ['-/bulwark/policies/unpublish', '-/policies/unpublish'];
/** Endpoints where a package can be reported as malicious (none is standard for npm). */
export const REPORT_PATHS = ['-/bulwark/v1/reports', '-/npm/v1/security/report'];

/** RFC 9116 fields, lower-cased name -> values. */
export function parseSecurityTxt(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z-]+):\s*(.+)$/.exec(line.trim());
    if (!m || line.startsWith('#')) continue;
    const key = m[1]!.toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), m[2]!.trim()]);
  }
  return fields;
}

async function securityTxt(ctx: ProbeContext): Promise<{ answer: HttpAnswer; evidence: Evidence[] }> {
  const evidence: Evidence[] = [];
  for (const url of [ctx.http.originUrl('/.well-known/security.txt'), ctx.http.url('.well-known/security.txt')]) {
    const answer = await ctx.http.get(url, { accept: 'text/plain' });
    evidence.push(evidenceOf(answer));
    if (answer.status === 200 && /^contact:/im.test(answer.text)) return { answer, evidence };
  }
  return { answer: await ctx.http.get(ctx.http.originUrl('/.well-known/security.txt')), evidence };
}

/** C2SP signed note: body, blank line, `— <name> <base64(keyhash4 || sig)>` lines; key `name+hash+base64(0x01||pub)`. */
function verifyCheckpoint(note: string, vkey: string): boolean {
  const split = note.lastIndexOf('\n\n');
  // name+hash+key, where the base64 key may itself contain '+'.
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(vkey.trim());
  if (split < 0 || !m) return false;
  const parts = [m[1]!, m[2]!, m[3]!] as const;
  const body = note.slice(0, split + 1);
  const keyBytes = Buffer.from(parts[2]!, 'base64');
  if (keyBytes[0] !== 1 || keyBytes.length !== 33) return false;
  const pub = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), keyBytes.subarray(1)]), format: 'der', type: 'spki' });
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^— (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== parts[0]) continue;
    const sig = Buffer.from(m[2]!, 'base64');
    if (sig.length === 68 && sig.subarray(0, 4).toString('hex') === parts[1] && verify(null, Buffer.from(body), pub, sig.subarray(4))) return true;
  }
  return false;
}

export const GENERAL_PROBES: ProbeTable = {
  async 'GEN-1a'(ctx) {
    const { answer, evidence } = await securityTxt(ctx);
    if (answer.status !== 200 || !/^contact:/im.test(answer.text)) return withDeclaration(ctx, 'GEN-1a', outcome('not-met', 'no RFC 9116 security.txt with a Contact', evidence));
    const fields = parseSecurityTxt(answer.text);
    const contacts = fields.get('contact') ?? [];
    const policies = fields.get('policy') ?? [];
    const expires = Date.parse(fields.get('expires')?.[0] ?? '');
    const gaps: string[] = [];
    if (!(expires > Date.now())) gaps.push('Expires is missing or past');
    // A Contact that only points back to the policy (which sends readers to security.txt) reaches no one.
    const reachable = contacts.filter((c) => /^(mailto|tel):/i.test(c) || (/^https:/i.test(c) && !policies.includes(c)));
    if (reachable.length === 0) gaps.push(`no reachable Contact (only ${contacts.join(', ')}, the policy itself)`);
    let policyText = '';
    if (policies[0]) {
      const policy = await ctx.http.get(policies[0], { accept: 'text/markdown, text/plain, text/html' });
      evidence.push(evidenceOf(policy, 'the Policy document'));
      if (policy.status === 200) policyText = policy.text;
    }
    if (!policyText) gaps.push('no Policy document could be read');
    else {
      if (!/safe harbou?r/i.test(policyText)) gaps.push('the policy grants no safe harbour');
      if (!/\b90 days\b|ninety days/i.test(policyText)) gaps.push('the policy sets no 90-day remediation target');
    }
    if (gaps.length === 0) return outcome('met', `security.txt with a reachable Contact (${reachable.join(', ')}); the policy grants safe harbour and aims at 90 days`, evidence);
    return outcome('partly', `security.txt is served, but: ${gaps.join('; ')}`, evidence);
  },

  async 'GEN-1b'(ctx) {
    const evidence: Evidence[] = [];
    const blocked: string[] = [];
    const samples = (await ctx.samples()).map((s) => s.name).filter((n) => !n.startsWith('@'));
    // Squats of popular npm names, and a punctuation/case variant of a name this registry holds.
    const names = [...SQUATS, ...samples.slice(0, 2).map((n) => (n.includes('-') ? n.replace('-', '_') : `${n}-`.toUpperCase()))];
    let endpoint = false;
    for (const name of names) {
      const answer = await ctx.http.get(`${NAME_AVAILABILITY_PATH}?name=${encodeURIComponent(name)}`);
      evidence.push(evidenceOf(answer, `availability of "${name}"`));
      if (answer.status === 404 && !isObject(answer.json)) break;
      if (answer.status === 404 && isObject(answer.json) && !('available' in answer.json)) break;
      if (isObject(answer.json) && 'available' in answer.json) {
        endpoint = true;
        if (answer.json.available === false && answer.json.exists !== true) blocked.push(name);
      }
    }
    if (blocked.length > 0) return outcome('met', `the registry refuses look-alike names: ${blocked.join(', ')}`, evidence);
    if (endpoint) return outcome('not-met', `the name-availability endpoint answers, but none of ${names.join(', ')} is refused`, evidence);
    return withDeclaration(ctx, 'GEN-1b', outcome('not-met', `no name-availability answer (/${NAME_AVAILABILITY_PATH}); a publish-time squat test would need an unscoped name, which write probes never touch`, evidence));
  },

  async 'GEN-2a'(ctx) {
    const w = await writeChecks(ctx);
    const doc = await firstFound(ctx, UNPUBLISH_POLICY_PATHS);
    const evidence = [...(doc?.evidence ?? [])];
    const served = doc?.status === 200;
    if (w.republish?.tried) {
      evidence.push(...w.republish.evidence, ...(w.reuseAfterUnpublish?.evidence ?? []));
      const bad = [w.republish, w.reuseAfterUnpublish].filter((o) => o && o.tried && !o.refused).map((o) => o!.note);
      if (bad.length > 0) return outcome('not-met', bad.join('; '), evidence);
      return outcome(served ? 'met' : 'partly', `a version cannot be replaced or reused${served ? ` and the policy is served at /${doc.path}` : ', but no unpublish policy document is served'}`, evidence);
    }
    if (served) return outcome('partly', `an unpublish policy is served at /${doc.path}; not exercised (${w.reason})`, evidence);
    return withDeclaration(ctx, 'GEN-2a', outcome('not-met', `no unpublish policy is served (tried ${UNPUBLISH_POLICY_PATHS.map((p) => `/${p}`).join(', ')}); ${w.reason}`, evidence));
  },

  async 'GEN-2b'(ctx) {
    const evidence: Evidence[] = [];
    for (const path of REPORT_PATHS) {
      const answer = await ctx.http.get(path);
      evidence.push(evidenceOf(answer, 'report endpoint (GET: only its existence)'));
      if (answer.status !== 404 && answer.status !== 0) return withDeclaration(ctx, 'GEN-2b', outcome('partly', `a report endpoint answers at /${path}; the web form and CLI path are not observable here`, evidence));
    }
    return withDeclaration(ctx, 'GEN-2b', outcome('not-met', `no malicious-package report endpoint (tried ${REPORT_PATHS.map((p) => `/${p}`).join(', ')})`, evidence));
  },

  async 'GEN-2c'(ctx) {
    const w = await writeChecks(ctx);
    const obs = w.malwareUpload;
    if (!obs?.tried) return withDeclaration(ctx, 'GEN-2c', outcome('cannot-tell', `needs a test upload: ${w.reason || obs?.note}`));
    return obs.refused ? outcome('met', 'a package carrying the EICAR test string was refused at publish', obs.evidence) : outcome('not-met', 'a package carrying the EICAR test string was accepted', obs.evidence);
  },

  async 'GEN-2d'(ctx) {
    const samples = await ctx.samples();
    if (samples.length === 0) return withDeclaration(ctx, 'GEN-2d', outcome('cannot-tell', 'no package to look at'));
    const body = JSON.stringify(Object.fromEntries(samples.map((s) => [s.name, [s.version]])));
    const bulk = await ctx.http.request('-/npm/v1/security/advisories/bulk', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const evidence = [evidenceOf(bulk, 'advisories for the sampled versions')];
    const hit = isObject(bulk.json) ? Object.keys(bulk.json).find((k) => Array.isArray((bulk.json as Record<string, unknown>)[k]) && ((bulk.json as Record<string, unknown[]>)[k]!.length > 0)) : undefined;
    if (!hit) return withDeclaration(ctx, 'GEN-2d', outcome('cannot-tell', 'no sampled package has a known advisory, so there is no warning to look for', evidence));
    const page = await ctx.http.get(`-/ui/package/${encodePackagePath(hit)}`, { accept: 'text/html' });
    evidence.push(evidenceOf(page, 'package page'));
    if (page.status === 200 && /vulnerab|advisory/i.test(page.text)) return outcome('met', `the page of ${hit} shows its known vulnerabilities`, evidence);
    return withDeclaration(ctx, 'GEN-2d', outcome('not-met', `${hit} has advisories, but its web page (${page.status}) shows no warning`, evidence));
  },

  async 'GEN-3a'(ctx) {
    return withDeclaration(ctx, 'GEN-3a', outcome('cannot-tell', 'infrastructure reviews cannot be observed: answer it in the questionnaire (the in-registry self-assessment history is one record of it)'));
  },

  async 'GEN-3b'(ctx) {
    const checkpoint = await ctx.http.get('-/tlog/checkpoint', { accept: 'text/plain' });
    const evidence: Evidence[] = [evidenceOf(checkpoint, 'signed checkpoint')];
    if (checkpoint.status === 200) {
      const key = await ctx.http.get('-/tlog/key', { accept: 'text/plain' });
      evidence.push(evidenceOf(key, 'log verifier key'));
      const size = Number(checkpoint.text.split('\n')[1]);
      const signed = key.status === 200 && verifyCheckpoint(checkpoint.text, key.text);
      let proofs = true;
      if (size > 0) {
        const proof = await ctx.http.get(`-/tlog/proof/inclusion?index=${size - 1}&size=${size}`);
        proofs = proof.status === 200 && isObject(proof.json) && Array.isArray(proof.json.proof);
        evidence.push(evidenceOf(proof, `inclusion proof for entry ${size - 1}`));
      }
      if (signed && proofs) return outcome('met', `a signed checkpoint (tree size ${size}) verifies against the served key, with Merkle proofs; pin the key and run bulwark tlog verify for the full check`, evidence);
      return outcome('partly', `a checkpoint is served, but ${signed ? 'proofs are not' : 'its signature does not verify against /-/tlog/key'}`, evidence);
    }
    const changes = await ctx.http.get('_changes?limit=1');
    evidence.push(evidenceOf(changes, 'CouchDB-style changes feed'));
    if (changes.status === 200 && isObject(changes.json) && Array.isArray(changes.json.results)) return outcome('partly', 'a public changes feed exists, but it is not signed or tamper-evident', evidence);
    return withDeclaration(ctx, 'GEN-3b', outcome('not-met', 'no transparency log (/-/tlog/checkpoint) and no public changes feed', evidence));
  },

  async 'GEN-3c'(ctx) {
    const name = (await ctx.samples())[0]?.name ?? 'bulwark-assess-probe';
    const query = await ctx.http.request('v1/query', { method: 'POST', body: JSON.stringify({ package: { name, ecosystem: 'npm' } }), headers: { 'content-type': 'application/json' } });
    const evidence = [evidenceOf(query, `OSV query for ${name}`)];
    if (query.status === 200 && isObject(query.json)) {
      const vulns = Array.isArray(query.json.vulns) ? query.json.vulns.filter(isObject) : [];
      const mal = vulns.filter((v) => typeof v.id === 'string' && v.id.startsWith('MAL-')).length;
      return outcome('met', `the OSV API answers in OSV's schema${mal ? ` and lists ${mal} MAL- record(s)` : ' (no MAL- record for the sampled package, as expected of a clean one)'}`, evidence);
    }
    return withDeclaration(ctx, 'GEN-3c', outcome('not-met', `no OSV API (POST /v1/query answered ${query.status})`, evidence));
  },
};
