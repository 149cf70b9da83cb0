import { createHash, createVerify } from 'node:crypto';
import {
  buildTrustMaterial, NPM_PUBLISH_PREDICATE, signedMessage, spkiPem, verifyBundle, type RegistryPublicKey,
} from '@bulwark/server';
import type { PackageRef } from '../tlog/lockfile.js';

/** pacote's rule: a version without `time` counts as published at this instant. */
const MISSING_TIME = '2015-01-01T00:00:00.000Z';

export type Check = 'verified' | 'invalid' | 'missing' | 'none' | 'skipped';

export interface PackageReport {
  readonly name: string;
  readonly version: string;
  integrity: Check;
  signatures: Check;
  attestations: Check;
  readonly problems: string[];
}

export interface VerifyReport {
  readonly registry: string;
  readonly keys: number;
  readonly packages: PackageReport[];
  readonly summary: { total: number; integrity: number; signatures: number; attestations: number; failed: number };
  readonly ok: boolean;
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const text = await res.text();
  return { status: res.status, body: res.ok ? JSON.parse(text) : null };
}

function escaped(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

/**
 * AUTHZ-3c client side: for every installed package, checks the tarball's bytes against
 * dist.integrity (and the lockfile's integrity), the registry signatures against
 * /-/npm/v1/keys, and the attestations against the configured Sigstore trusted roots.
 */
export async function verifyInstalled(input: {
  registry: string;
  packages: ReadonlyArray<PackageRef & { readonly integrity?: string | undefined }>;
  trustedRoots: readonly unknown[];
}): Promise<VerifyReport> {
  const { registry } = input;
  const keysAnswer = await getJson(`${registry}-/npm/v1/keys`);
  const keys: RegistryPublicKey[] = keysAnswer.status === 200 && Array.isArray(keysAnswer.body?.keys) ? keysAnswer.body.keys : [];
  const trust = buildTrustMaterial(input.trustedRoots, keys);
  const packuments = new Map<string, Promise<any>>();
  const reports: PackageReport[] = [];
  for (const ref of input.packages) {
    const report: PackageReport = { name: ref.name, version: ref.version, integrity: 'skipped', signatures: 'none', attestations: 'none', problems: [] };
    reports.push(report);
    try {
      if (!packuments.has(ref.name)) packuments.set(ref.name, getJson(`${registry}${escaped(ref.name)}`));
      const doc = (await packuments.get(ref.name)!).body;
      const manifest = doc?.versions?.[ref.version];
      if (!manifest) {
        report.integrity = 'invalid';
        report.problems.push(`${ref.name}@${ref.version} is not on ${registry}`);
        continue;
      }
      const dist = manifest.dist ?? {};
      checkIntegrity(report, dist, ref.integrity);
      const tarball = await fetch(new URL(new URL(String(dist.tarball)).pathname, registry));
      if (!tarball.ok) report.problems.push(`tarball download failed: HTTP ${tarball.status}`);
      else {
        const sha512 = createHash('sha512').update(Buffer.from(await tarball.arrayBuffer())).digest('base64');
        if (`sha512-${sha512}` !== dist.integrity) {
          report.integrity = 'invalid';
          report.problems.push(`the tarball's sha512 is sha512-${sha512}, dist.integrity says ${dist.integrity}`);
        }
      }
      checkSignatures(report, dist, keys, doc.time?.[ref.version] ?? MISSING_TIME);
      if (dist.attestations?.url) await checkAttestations(report, dist, registry, trust);
    } catch (err) {
      report.problems.push((err as Error).message);
      if (report.integrity === 'skipped') report.integrity = 'invalid';
    }
  }
  const failed = reports.filter((r) => r.problems.length > 0 || [r.integrity, r.signatures, r.attestations].some((c) => c === 'invalid' || c === 'missing'));
  return {
    registry, keys: keys.length, packages: reports,
    summary: {
      total: reports.length,
      integrity: reports.filter((r) => r.integrity === 'verified').length,
      signatures: reports.filter((r) => r.signatures === 'verified').length,
      attestations: reports.filter((r) => r.attestations === 'verified').length,
      failed: failed.length,
    },
    ok: failed.length === 0,
  };
}

function checkIntegrity(report: PackageReport, dist: any, lockIntegrity: string | undefined): void {
  if (typeof dist.integrity !== 'string' || !dist.integrity.startsWith('sha512-')) {
    report.integrity = 'invalid';
    report.problems.push('the registry serves no sha512 dist.integrity');
    return;
  }
  if (lockIntegrity && !lockIntegrity.split(/\s+/).includes(dist.integrity)) {
    report.integrity = 'invalid';
    report.problems.push(`the lockfile records ${lockIntegrity}, the registry serves ${dist.integrity}`);
    return;
  }
  report.integrity = 'verified';
}

function checkSignatures(report: PackageReport, dist: any, keys: readonly RegistryPublicKey[], publishedAt: string): void {
  const signatures: Array<{ keyid: string; sig: string }> = Array.isArray(dist.signatures) ? dist.signatures : [];
  if (signatures.length === 0) {
    if (keys.length > 0) {
      report.signatures = 'missing';
      report.problems.push('the registry has signing keys but this version carries no signature');
    }
    return;
  }
  for (const signature of signatures) {
    const key = keys.find((k) => k.keyid === signature.keyid);
    if (!key) {
      report.signatures = 'invalid';
      report.problems.push(`signature by unknown key ${signature.keyid}`);
      return;
    }
    if (key.expires !== null && Date.parse(publishedAt) >= Date.parse(key.expires)) {
      report.signatures = 'invalid';
      report.problems.push(`signature by key ${key.keyid}, which expired ${key.expires} before the version was published`);
      return;
    }
    const message = signedMessage(report.name, report.version, dist.integrity);
    if (!createVerify('SHA256').update(message).verify(spkiPem(key.key), signature.sig, 'base64')) {
      report.signatures = 'invalid';
      report.problems.push(`invalid registry signature by ${key.keyid} over ${message}`);
      return;
    }
  }
  report.signatures = 'verified';
}

async function checkAttestations(report: PackageReport, dist: any, registry: string, trust: ReturnType<typeof buildTrustMaterial>): Promise<void> {
  // Like npm: only the path of dist.attestations.url counts, resolved against the registry in use.
  // A Bulwark registry also serves its own publish attestation at /-/bulwark/v1/attestations: prefer that.
  let path = `${new URL(registry).pathname}-/bulwark/v1/attestations/${report.name}@${report.version}`;
  let answer = await getJson(new URL(path, registry).toString());
  if (answer.status === 404) {
    path = new URL(String(dist.attestations.url)).pathname;
    answer = await getJson(new URL(path, registry).toString());
  }
  const list: Array<{ predicateType: string; bundle: unknown }> = answer.body?.attestations ?? [];
  if (list.length === 0) {
    report.attestations = 'missing';
    report.problems.push(`dist.attestations is set but ${path} answered ${answer.status} with no attestations`);
    return;
  }
  const sha512 = Buffer.from(String(dist.integrity).replace(/^sha512-/, ''), 'base64').toString('hex');
  for (const attestation of list) {
    try {
      verifyBundle(attestation.bundle, { name: report.name, version: report.version, sha512 }, trust, attestation.predicateType === NPM_PUBLISH_PREDICATE ? 'publish' : 'provenance');
    } catch (err) {
      report.attestations = 'invalid';
      report.problems.push(`${attestation.predicateType}: ${(err as Error).message}`);
      return;
    }
  }
  report.attestations = 'verified';
}
