// Shared setup for the e2e suites: a spawned registry with users and tokens, seeding over HTTP,
// and small assertion helpers. Not a test file.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  blobPath, describeRun, getPackument, integrityOf, publishBody, putPackage, spawnRegistry,
  type PackageSpec, type RegistryOptions, type RunResult, type RunningRegistry,
} from '@bulwark/testkit';

export interface TestUser {
  name: string;
  email: string;
  password: string;
  /** An automation token (bypass_2fa): publishes without --otp. */
  token: string;
  /** otpauth:// URI of the user's authenticator (codes: totpCode/freshTotpCode). */
  totpUri: string;
}

export interface TestRegistry {
  reg: RunningRegistry;
  users: Record<string, TestUser>;
  close(): Promise<void>;
}

export const PASSWORD = 'Correct-Horse-Battery-Staple-42';

/**
 * Spawns a registry and creates the named users, each with a password, a TOTP authenticator
 * (`admin user add --totp`: every write needs a second factor, AUTHN-3b) and a full-access
 * automation token (`admin token create --bypass-2fa`), so suites about other things publish
 * without --otp. Suites about MFA make their own non-bypass tokens.
 */
export async function startRegistry(userNames: string[] = ['alice', 'bob'], opts: RegistryOptions = {}): Promise<TestRegistry> {
  const reg = await spawnRegistry(opts);
  const users: Record<string, TestUser> = {};
  try {
    for (const name of userNames) {
      const u = { name, email: `${name}@example.test`, password: `${PASSWORD}-${name}` };
      const totpUri = (await reg.adminUser(u.name, u.email, u.password))!;
      users[name] = { ...u, totpUri, token: await reg.adminToken(name) };
    }
  } catch (err) {
    await reg.close();
    throw err;
  }
  return { reg, users, close: () => reg.close() };
}

export interface Seeded {
  name: string;
  version: string;
  tarball: Buffer;
  integrity: string;
}

/** Publishes a package version over HTTP with the body npm would send; fails the test on non-2xx. */
export async function seed(reg: RunningRegistry, token: string, spec: PackageSpec & { tag?: string; access?: 'public' | 'restricted' }): Promise<Seeded> {
  const p = publishBody({ ...spec, registryUrl: reg.url });
  const res = await putPackage(reg.url, spec.name, p.body, token);
  assert.ok(res.status >= 200 && res.status < 300, `seeding ${spec.name}@${spec.version}: PUT -> ${res.status} ${res.text}`);
  return { name: spec.name, version: spec.version, tarball: p.tarball, integrity: p.integrity };
}

export function assertExit(r: RunResult, code: number, what: string): void {
  assert.equal(r.code, code, `${what}: expected exit ${code}\n${describeRun(r)}`);
}

export function assertOk(r: RunResult, what: string): void {
  assertExit(r, 0, what);
}

export function assertFailed(r: RunResult, what: string): void {
  assert.ok(!r.timedOut, `${what}: timed out\n${describeRun(r)}`);
  assert.notEqual(r.code, 0, `${what}: expected a non-zero exit\n${describeRun(r)}`);
}

/** The stored blob for an integrity; asserts it exists and hashes back to it. */
export async function storedBlob(reg: RunningRegistry, integrity: string): Promise<Buffer> {
  const p = blobPath(reg.dataDir, integrity);
  let bytes: Buffer;
  try {
    bytes = await readFile(p);
  } catch {
    assert.fail(`no blob at ${p} for ${integrity}`);
  }
  assert.equal(integrityOf(bytes), integrity, `blob ${p} does not hash to its name`);
  return bytes;
}

/** `name@version` of every package installed under node_modules (recursively, npm layout), sorted. */
export async function installedTree(projectDir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(nm: string, prefix: string): Promise<void> {
    let names: string[];
    try { names = await readdir(nm); } catch { return; }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      if (n.startsWith('@')) {
        for (const s of await readdir(join(nm, n))) await pkg(join(nm, n, s), prefix);
      } else {
        await pkg(join(nm, n), prefix);
      }
    }
  }
  async function pkg(dir: string, prefix: string): Promise<void> {
    try {
      const pj = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
      out.push(`${prefix}${pj.name}@${pj.version}`);
    } catch { return; }
    await walk(join(dir, 'node_modules'), `${prefix}${dir.split('/').slice(-1)[0]}>`);
  }
  await walk(join(projectDir, 'node_modules'), '');
  return out.sort();
}

export async function readLockfile(projectDir: string): Promise<{ packages: Record<string, { version?: string; resolved?: string; integrity?: string }> }> {
  return JSON.parse(await readFile(join(projectDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; resolved?: string; integrity?: string }> };
}

/** The full packument, asserting 200. */
export async function packument(reg: RunningRegistry | string, name: string, token?: string) {
  const url = typeof reg === 'string' ? reg : reg.url;
  const r = await getPackument(url, name, { token });
  assert.equal(r.status, 200, `GET ${name} -> ${r.status} ${r.text.slice(0, 300)}`);
  assert.ok(r.json, `GET ${name}: not JSON`);
  return r.json;
}

/** Output of a command, stdout and stderr together. */
export function out(r: RunResult): string {
  return `${r.stdout}\n${r.stderr}`;
}
