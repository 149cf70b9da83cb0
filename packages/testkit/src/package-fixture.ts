// Package fixtures: folders for `npm publish`, hand-written tarballs (including hostile ones) and
// the exact JSON body npm sends on publish. The tar writer is hand-written on purpose: libraries
// sanitise `../`, absolute paths and links, which is exactly what the hostile tests need to keep.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { integrityOf, makeTempDir, sha1Hex } from './util.js';

// ---------------------------------------------------------------------------------------------
// Package folders

export interface PackageSpec {
  name: string;
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
  /** Extra package.json fields (merged last). */
  packageJson?: Record<string, unknown>;
  /** Contents of index.js; defaults to a module exporting its name and version. */
  indexJs?: string;
  /** README.md contents; defaults to a short title. Pass null for no README. */
  readme?: string | null;
  /** Additional files, relative path -> contents. */
  files?: Record<string, string | Buffer>;
}

export function packageJsonOf(spec: PackageSpec): Record<string, unknown> {
  return {
    name: spec.name,
    version: spec.version,
    description: spec.description ?? `Test package ${spec.name}`,
    main: 'index.js',
    license: 'MIT',
    ...(spec.dependencies ? { dependencies: spec.dependencies } : {}),
    ...spec.packageJson,
  };
}

function defaultIndex(spec: PackageSpec): string {
  const deps = Object.keys(spec.dependencies ?? {});
  const lines = [`'use strict';`, `exports.name = ${JSON.stringify(spec.name)};`, `exports.version = ${JSON.stringify(spec.version)};`];
  lines.push(`exports.deps = {${deps.map((d) => `${JSON.stringify(d)}: require(${JSON.stringify(d)})`).join(', ')}};`);
  return lines.join('\n') + '\n';
}

/** Writes a package folder (package.json, index.js, README.md, extra files); returns its path. */
export async function writePackageDir(spec: PackageSpec, dir?: string): Promise<string> {
  const root = dir ?? join(await makeTempDir('bulwark-pkg-'), 'pkg');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify(packageJsonOf(spec), null, 2) + '\n');
  await writeFile(join(root, 'index.js'), spec.indexJs ?? defaultIndex(spec));
  if (spec.readme !== null) await writeFile(join(root, 'README.md'), spec.readme ?? `# ${spec.name}\n\nA test package.\n`);
  for (const [rel, content] of Object.entries(spec.files ?? {})) {
    const p = join(root, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, content);
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Tar

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink';

export interface TarEntry {
  /** Stored verbatim, so `../x`, `/etc/x` and `package/../../x` are all possible. */
  path: string;
  type?: TarEntryType;
  content?: string | Buffer;
  /** Target of a symlink or hardlink. */
  linkname?: string;
  mode?: number;
  mtime?: Date;
}

/** npm's fixed tarball timestamp. */
const NPM_MTIME = new Date('1985-10-26T08:15:00.000Z');

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar field too long (${bytes.length} > ${length}): ${value}`);
  bytes.copy(buf, offset);
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  const s = Math.floor(value).toString(8).padStart(length - 1, '0');
  if (s.length > length - 1) throw new Error(`tar numeric field overflow: ${value}`);
  writeString(buf, offset, length, s + '\0');
}

function splitUstarName(path: string): { name: string; prefix: string } | null {
  const bytes = Buffer.byteLength(path);
  if (bytes <= 100) return { name: path, prefix: '' };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { name, prefix };
  }
  return null;
}

function header(fields: { name: string; prefix?: string; mode: number; size: number; mtime: Date; typeflag: string; linkname?: string }): Buffer {
  const h = Buffer.alloc(512, 0);
  writeString(h, 0, 100, fields.name);
  writeOctal(h, 100, 8, fields.mode);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, fields.size);
  writeOctal(h, 136, 12, Math.floor(fields.mtime.getTime() / 1000));
  h.fill(0x20, 148, 156);
  writeString(h, 156, 1, fields.typeflag);
  if (fields.linkname) writeString(h, 157, 100, fields.linkname);
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  if (fields.prefix) writeString(h, 345, 155, fields.prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

function pad512(data: Buffer): Buffer[] {
  const rest = data.length % 512;
  return rest === 0 ? [data] : [data, Buffer.alloc(512 - rest, 0)];
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

const TYPEFLAG: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', directory: '5' };

/** Uncompressed tar archive of the entries, in order, exactly as given. */
export function buildTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = type === 'file' ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    const mtime = e.mtime ?? NPM_MTIME;
    const mode = e.mode ?? (type === 'directory' ? 0o755 : 0o644);
    let split = splitUstarName(e.path);
    const linkTooLong = e.linkname !== undefined && Buffer.byteLength(e.linkname) > 100;
    if (!split || linkTooLong) {
      let pax = '';
      if (!split) pax += paxRecord('path', e.path);
      if (linkTooLong) pax += paxRecord('linkpath', e.linkname!);
      const paxBuf = Buffer.from(pax, 'utf8');
      parts.push(header({ name: 'PaxHeader', mode: 0o644, size: paxBuf.length, mtime, typeflag: 'x' }), ...pad512(paxBuf));
      split = split ?? { name: e.path.slice(-100).replace(/^\/+/, ''), prefix: '' };
    }
    parts.push(header({
      name: split.name,
      prefix: split.prefix,
      mode,
      size: content.length,
      mtime,
      typeflag: TYPEFLAG[type],
      linkname: linkTooLong ? undefined : e.linkname,
    }));
    if (content.length) parts.push(...pad512(content));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

/** Gzipped tar archive (a .tgz) of the entries. */
export function buildTarball(entries: readonly TarEntry[]): Buffer {
  return gzipSync(buildTar(entries));
}

export interface PackageTarballOptions extends PackageSpec {
  /** Replace the package.json written into the tarball (e.g. to mismatch name/version). */
  tarballPackageJson?: Record<string, unknown>;
  /** Entries appended after the normal ones. */
  extraEntries?: TarEntry[];
}

/** A well-formed npm tarball (package/package.json, package/index.js, package/README.md, ...). */
export function packageTarball(spec: PackageTarballOptions): Buffer {
  const pj = spec.tarballPackageJson ?? packageJsonOf(spec);
  const entries: TarEntry[] = [
    { path: 'package/package.json', content: JSON.stringify(pj, null, 2) + '\n' },
    { path: 'package/index.js', content: spec.indexJs ?? defaultIndex(spec) },
  ];
  if (spec.readme !== null) entries.push({ path: 'package/README.md', content: spec.readme ?? `# ${spec.name}\n` });
  for (const [rel, content] of Object.entries(spec.files ?? {})) entries.push({ path: `package/${rel}`, content });
  entries.push(...(spec.extraEntries ?? []));
  return buildTarball(entries);
}

// ---------------------------------------------------------------------------------------------
// Publish body

/** `@scope/name` -> `@scope%2fname`, as npm puts it in a path. */
export function escapedName(name: string): string {
  return name.startsWith('@') ? name.replace('/', '%2f') : name;
}

/** `@scope/name` -> `name`; the basename npm uses in tarball file names. */
export function unscopedName(name: string): string {
  return name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
}

/** npmjs-layout tarball path relative to the registry root: `name/-/name-1.0.0.tgz`, `@s/p/-/p-1.0.0.tgz`. */
export function tarballPath(name: string, version: string): string {
  return `${name}/-/${unscopedName(name)}-${version}.tgz`;
}

export interface PublishBodyOptions extends PackageSpec {
  /** The .tgz to attach; built with packageTarball(spec) when omitted. */
  tarball?: Buffer;
  tag?: string;
  access?: null | 'public' | 'restricted';
  /** Used for the client-suggested dist.tarball (npm forces http). */
  registryUrl?: string;
  /** Override the integrity/shasum the client claims. */
  integrity?: string;
  shasum?: string;
  /** Override the attachment's declared length. */
  length?: number;
}

export interface PublishBody {
  body: Record<string, unknown>;
  tarball: Buffer;
  integrity: string;
  shasum: string;
}

/** The JSON body `npm publish` sends (npm-registry-api.md §5.1), for HTTP-level tests. */
export function publishBody(o: PublishBodyOptions): PublishBody {
  const tarball = o.tarball ?? packageTarball(o);
  const integrity = o.integrity ?? integrityOf(tarball);
  const shasum = o.shasum ?? sha1Hex(tarball);
  const reg = (o.registryUrl ?? 'http://registry.invalid/').replace(/^https:/, 'http:').replace(/\/?$/, '/');
  const pj = packageJsonOf(o);
  const readme = o.readme === null ? undefined : (o.readme ?? `# ${o.name}\n`);
  const manifest: Record<string, unknown> = {
    ...pj,
    ...(readme !== undefined ? { readme, readmeFilename: 'README.md' } : {}),
    _id: `${o.name}@${o.version}`,
    _nodeVersion: process.versions.node,
    _npmVersion: '11.19.1',
    dist: {
      integrity,
      shasum,
      tarball: `${reg}${o.name}/-/${o.name}-${o.version}.tgz`,
    },
  };
  const body: Record<string, unknown> = {
    _id: o.name,
    name: o.name,
    description: pj.description,
    'dist-tags': { [o.tag ?? 'latest']: o.version },
    access: o.access ?? null,
    versions: { [o.version]: manifest },
    _attachments: {
      [`${o.name}-${o.version}.tgz`]: {
        content_type: 'application/octet-stream',
        data: tarball.toString('base64'),
        length: o.length ?? tarball.length,
      },
    },
  };
  return { body, tarball, integrity, shasum };
}
