import { readFile } from 'node:fs/promises';

export interface PackageRef {
  readonly name: string;
  readonly version: string;
}

/** `name@version`, scoped names included (`@scope/name@1.0.0`). */
export function parsePackageRef(spec: string): PackageRef {
  const at = spec.lastIndexOf('@');
  if (at <= 0) throw new Error(`"${spec}" is not name@version`);
  const name = spec.slice(0, at);
  const version = spec.slice(at + 1);
  if (!version) throw new Error(`"${spec}" is not name@version`);
  return { name, version };
}

/** The packages of an npm lockfile (v2/v3 `packages`) whose `resolved` URL is on `registryBase`. */
export async function lockfilePackages(path: string, registryBase: string): Promise<PackageRef[]> {
  const lock = JSON.parse(await readFile(path, 'utf8')) as { packages?: Record<string, { name?: string; version?: string; resolved?: string; link?: boolean }> };
  if (!lock.packages) throw new Error(`${path}: no "packages" section (lockfileVersion 2 or later is needed)`);
  const refs = new Map<string, PackageRef>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.link || !entry.resolved || !entry.version || !entry.resolved.startsWith(registryBase)) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    refs.set(`${name}@${entry.version}`, { name, version: entry.version });
  }
  return [...refs.values()];
}
