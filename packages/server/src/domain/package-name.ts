import validateName from 'validate-npm-package-name';
import { RegistryError } from './errors.js';

export interface PackageName {
  /** The full name, e.g. `@scope/pkg` or `pkg`. */
  readonly name: string;
  /** The scope without '@', or null. */
  readonly scope: string | null;
  /** The part after the scope: what tarball file names start with. */
  readonly basename: string;
}

/** Parses a name and applies npm's rules for new packages (lower case, URL-safe, <= 214 chars). */
export function parsePackageName(raw: string): PackageName {
  const verdict = validateName(raw);
  if (!verdict.validForNewPackages) {
    const reasons = [...(verdict.errors ?? []), ...(verdict.warnings ?? [])].join('; ');
    throw new RegistryError('E_INVALID_NAME', `Invalid package name "${printable(raw)}": ${reasons}`);
  }
  const slash = raw.indexOf('/');
  if (raw.startsWith('@') && slash > 0) {
    return { name: raw, scope: raw.slice(1, slash), basename: raw.slice(slash + 1) };
  }
  return { name: raw, scope: null, basename: raw };
}

/** A name made safe to echo in an error message (no control characters, bounded length). */
export function printable(raw: string): string {
  const cleaned = raw.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
  return cleaned.length > 80 ? `${cleaned.slice(0, 80)}…` : cleaned;
}

/** npmjs layout: `/name/-/name-1.0.0.tgz`, `/@s/p/-/p-1.0.0.tgz`. */
export function tarballPath(pkg: PackageName, version: string): string {
  return `/${pkg.name}/-/${pkg.basename}-${version}.tgz`;
}
