import { RegistryError } from '../domain/errors.js';

export interface PackagePath {
  readonly name: string;
  /** What follows the name, as decoded segments. */
  readonly rest: readonly string[];
}

/**
 * Splits a path below the mount point into a package name and the rest. Scoped names arrive as
 * `@scope%2fname` (npm), `@scope%2Fname` or `@scope/name`; all three mean the same package.
 */
export function parsePackagePath(path: string): PackagePath {
  // Fast path for the most common request, `/name`: one plain segment, nothing to decode.
  if (path.length > 1 && path.indexOf('/', 1) === -1 && !path.includes('%') && path[1] !== '-' && path[1] !== '.' && path[1] !== '@') {
    return { name: path.slice(1), rest: [] };
  }
  const segments = path.split('/').filter((s, i) => i > 0 || s !== '');
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch (err) {
    throw new RegistryError('E_BAD_REQUEST', 'The URL has a malformed percent-encoding.', { cause: err });
  }
  const first = decoded[0];
  // Names never start with "-" or "."; such paths are registry endpoints that do not exist.
  if (first === undefined || first === '' || first.startsWith('-') || first.startsWith('.')) throw new RegistryError('E_NOT_FOUND', 'Not found');
  if (first.startsWith('@') && !first.includes('/')) {
    const second = decoded[1];
    if (second === undefined) throw new RegistryError('E_NOT_FOUND', `Not found: ${first}`);
    return { name: `${first}/${second}`, rest: decoded.slice(2) };
  }
  return { name: first, rest: decoded.slice(1) };
}

/** The path of a request URL below the mount point, without the query. */
export function pathBelow(url: string, basePath: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return basePath && path.startsWith(basePath) ? path.slice(basePath.length) : path;
}
