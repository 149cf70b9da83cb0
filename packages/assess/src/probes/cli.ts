import { withDeclaration, type ProbeContext } from '../context.js';
import { evidenceOf, isObject, type HttpAnswer } from '../http.js';
import { npmEvidence, npmProject } from '../npm-cli.js';
import type { Evidence } from '../types.js';
import { outcome, type ProbeTable } from './probe.js';

/** npm's bulk advisory endpoint, asked once per run about the sampled versions. */
function auditBulk(ctx: ProbeContext): Promise<HttpAnswer> {
  return ctx.once('audit-bulk', async () => {
    const samples = await ctx.samples();
    const query = samples.length ? Object.fromEntries(samples.map((s) => [s.name, [s.version]])) : { 'bulwark-assess-probe': ['1.0.0'] };
    return ctx.http.request('-/npm/v1/security/advisories/bulk', { method: 'POST', body: JSON.stringify(query), headers: { 'content-type': 'application/json' } });
  });
}

const auditWorks = (a: HttpAnswer): boolean => a.status === 200 && isObject(a.json);

export const CLI_PROBES: ProbeTable = {
  async 'CLI-1a'(ctx) {
    const samples = await ctx.samples();
    if (samples.length === 0) return withDeclaration(ctx, 'CLI-1a', outcome('cannot-tell', 'no published package was found (pass --package NAME)'));
    const evidence: Evidence[] = [];
    const pinned = samples.filter((s) => isObject(s.manifest.dist) && typeof s.manifest.dist.integrity === 'string' && s.manifest.dist.integrity.startsWith('sha512-'));
    evidence.push({ kind: 'http', what: `dist.integrity of ${samples.length} sampled version(s)`, result: `${pinned.length} carry sha512 integrity` });
    const npm = await npmProject(ctx);
    if (npm.install) {
      const lockPackages = isObject(npm.lock) && isObject(npm.lock.packages) ? npm.lock.packages : {};
      const entry = lockPackages[`node_modules/${npm.sample?.name}`];
      const locked = isObject(entry) && typeof entry.integrity === 'string' && typeof entry.version === 'string';
      evidence.push(npmEvidence(npm.install, locked ? `package-lock.json pins ${npm.sample?.name}@${String((entry as Record<string, unknown>).version)} by ${String((entry as Record<string, unknown>).integrity).slice(0, 20)}…` : 'the lockfile has no integrity for it'));
      if (!locked) return outcome('not-met', 'npm installed it, but the lockfile does not pin it by hash', evidence);
    }
    if (pinned.length < samples.length) return outcome('not-met', 'some versions have no sha512 integrity to pin', evidence);
    return outcome('met', npm.install ? 'npm lockfiles pin version and sha512 integrity' : 'every sampled version serves sha512 integrity for lockfiles (npm not run)', evidence);
  },

  async 'CLI-2a'(ctx) {
    const bulk = await auditBulk(ctx);
    const evidence = [evidenceOf(bulk, 'npm audit bulk endpoint')];
    const npm = await npmProject(ctx);
    if (npm.install) evidence.push(npmEvidence(npm.install, /vulnerabilit/i.test(npm.install.stdout + npm.install.stderr) ? 'npm printed an audit summary' : 'npm printed no audit summary'));
    if (auditWorks(bulk)) return outcome('met', 'POST /-/npm/v1/security/advisories/bulk answers, so npm install reports known vulnerabilities', evidence);
    return outcome('not-met', `the audit endpoint answered ${bulk.status}: npm install cannot warn of vulnerabilities`, evidence);
  },

  async 'CLI-3a'(ctx) {
    const npm = await npmProject(ctx);
    if (!npm.sbom) return withDeclaration(ctx, 'CLI-3a', outcome('cannot-tell', npm.reason || 'npm sbom did not run'));
    let sbom: unknown;
    try { sbom = JSON.parse(npm.sbom.stdout); } catch { sbom = undefined; }
    const components = isObject(sbom) && Array.isArray(sbom.components) ? sbom.components.filter(isObject) : [];
    const hashed = components.some((c) => Array.isArray(c.hashes) && c.hashes.length > 0);
    const ev = [npmEvidence(npm.sbom, `${components.length} component(s)${hashed ? ' with hashes' : ''}`)];
    if (npm.sbom.code === 0 && isObject(sbom) && sbom.bomFormat === 'CycloneDX' && components.length > 0) return outcome('met', `npm sbom produced a CycloneDX SBOM${hashed ? ' with component hashes' : ''} from an install from this registry`, ev);
    return outcome('not-met', 'npm sbom did not produce an SBOM for an install from this registry', ev);
  },

  async 'CLI-3b'(ctx) {
    const bulk = await auditBulk(ctx);
    const evidence = [evidenceOf(bulk, 'the endpoint npm audit fix reads')];
    if (auditWorks(bulk)) return outcome('met', 'npm audit fix can upgrade: the bulk advisory endpoint answers', evidence);
    return outcome('not-met', `npm audit fix has no advisories to act on (bulk endpoint answered ${bulk.status})`, evidence);
  },

  async 'CLI-3c'(ctx) {
    return withDeclaration(ctx, 'CLI-3c', outcome('cannot-tell', 'npm has no reachability analysis, and no advisory data naming affected functions was observed: answer it in the questionnaire if you provide such a tool'));
  },
};
