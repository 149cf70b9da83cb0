import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { RegistryError } from '../domain/errors.js';

export interface TarballLimits {
  readonly unpackedBytes: number;
  readonly tarEntries: number;
}

export interface TarballContents {
  readonly packageJson: Record<string, unknown>;
  readonly fileCount: number;
  readonly unpackedSize: number;
  /** Whether binding.gyp sits at the package root (npm then adds an install script). */
  readonly hasBindingGyp: boolean;
}

const SAFE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);
const MAX_PACKAGE_JSON = 1024 * 1024;

function unsafe(reason: string): RegistryError {
  return new RegistryError('E_TARBALL_UNSAFE', `Tarball refused: ${reason}.`);
}

/** Rejects absolute paths, drive letters, backslashes and any ".." segment. */
function checkEntryPath(path: string): void {
  const shown = JSON.stringify(path.slice(0, 120));
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) throw unsafe(`entry ${shown} has an absolute path`);
  if (path.split('/').includes('..')) throw unsafe(`entry ${shown} has a ".." segment`);
  if (path.includes('\u0000')) throw unsafe(`entry ${shown} has a NUL byte`);
}

/**
 * Reads a gzip tarball without touching the disk: checks every entry and returns
 * `package/package.json`. The gunzip is bounded, so a gzip bomb costs at most the limit.
 */
export function inspectTarball(tgz: Uint8Array, limits: TarballLimits): TarballContents {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: limits.unpackedBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RegistryError('E_BODY_TOO_LARGE', `Tarball unpacks to more than ${limits.unpackedBytes} bytes.`, { cause: err });
    }
    throw new RegistryError('E_TARBALL_INVALID', 'Tarball is not valid gzip data.', { cause: err });
  }

  if (tar.length % 512 !== 0) throw new RegistryError('E_TARBALL_INVALID', 'Tarball is truncated (not a whole number of 512-byte tar blocks).');
  const seen = new Set<string>();
  const problems: RegistryError[] = [];
  let packageJson: Buffer | null = null;
  let fileCount = 0;
  let unpackedSize = 0;
  let hasBindingGyp = false;

  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      try {
        checkEntry(entry);
      } catch (err) {
        problems.push(err as RegistryError);
        entry.resume();
      }
    },
  });
  parser.on('warn', (code: string, message: string) => {
    problems.push(new RegistryError('E_TARBALL_INVALID', `Tarball is not a valid tar archive (${code}: ${message}).`));
  });
  parser.on('error', (err: Error) => {
    problems.push(new RegistryError('E_TARBALL_INVALID', `Tarball is not a valid tar archive: ${err.message}.`, { cause: err }));
  });

  function checkEntry(entry: ReadEntry): void {
    checkEntryPath(entry.path);
    if (!SAFE_TYPES.has(entry.type)) throw unsafe(`entry ${JSON.stringify(entry.path.slice(0, 120))} is a ${entry.type}, only files and directories are allowed`);
    // npm unpacks with strip: 1, so "package/x", "other/x" and "package/./x" all land on "x".
    // Checks and the package.json lookup use that installed path; case is folded for the
    // duplicate check because case-insensitive file systems merge such names on install.
    const installed = entry.path.split('/').filter((s) => s !== '' && s !== '.').slice(1).join('/');
    const key = installed.toLowerCase();
    if (key !== '' && seen.has(key)) throw unsafe(`entry ${JSON.stringify(entry.path.slice(0, 120))} installs over an earlier entry`);
    seen.add(key);
    if (seen.size > limits.tarEntries) throw new RegistryError('E_BODY_TOO_LARGE', `Tarball has more than ${limits.tarEntries} entries.`);
    if (entry.type === 'Directory') {
      entry.resume();
      return;
    }
    fileCount += 1;
    unpackedSize += entry.size ?? 0;
    if (installed === 'binding.gyp') hasBindingGyp = true;
    if (installed === 'package.json') {
      if ((entry.size ?? 0) > MAX_PACKAGE_JSON) throw new RegistryError('E_TARBALL_INVALID', 'package/package.json is over 1 MiB.');
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        packageJson = Buffer.concat(chunks);
      });
      return;
    }
    entry.resume();
  }

  parser.end(tar);
  if (problems.length > 0) throw problems[0]!;
  if (!packageJson) throw new RegistryError('E_TARBALL_INVALID', 'Tarball has no package/package.json.');
  let parsed: unknown;
  try {
    parsed = JSON.parse((packageJson as Buffer).toString('utf8'));
  } catch (err) {
    throw new RegistryError('E_TARBALL_INVALID', 'package/package.json in the tarball is not valid JSON.', { cause: err });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RegistryError('E_TARBALL_INVALID', 'package/package.json in the tarball is not a JSON object.');
  }
  return { packageJson: parsed as Record<string, unknown>, fileCount, unpackedSize, hasBindingGyp };
}
