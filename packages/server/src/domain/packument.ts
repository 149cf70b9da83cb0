import semver from 'semver';
import type { MaintainerRecord, VersionRecord } from './records.js';
import { tarballPath, type PackageName } from './package-name.js';

/**
 * Stored documents carry this marker where the registry's public base URL goes; the read path
 * substitutes it once per cache fill, so one stored document serves every mount point.
 */
export const BASE_URL_MARKER = '{{BULWARK_BASE_URL}}';

/** The per-version fields npm keeps in its abbreviated ("corgi") document. */
const CORGI_FIELDS = [
  'name', 'version', 'dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta',
  'bundleDependencies', 'bundledDependencies', 'devDependencies', 'bin', 'directories', 'engines', 'os', 'cpu',
  'libc', 'deprecated', '_hasShrinkwrap', 'hasInstallScript', 'funding', 'license', 'acceptDependencies',
] as const;

/** Top-level fields copied from the latest version into the full document. */
const TOP_LEVEL_FIELDS = [
  'description', 'homepage', 'keywords', 'repository', 'bugs', 'license', 'author', 'contributors',
  'readmeFilename',
] as const;

export interface PackumentState {
  readonly pkg: PackageName;
  readonly rev: number;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
  readonly distTags: Readonly<Record<string, string>>;
  /** In publish order. */
  readonly versions: readonly VersionRecord[];
  readonly maintainers: readonly MaintainerRecord[];
  readonly starrers: readonly string[];
  /** Users by id, for `_npmUser`. */
  readonly publishers: ReadonlyMap<number, { name: string; email: string }>;
}

export function revString(name: string, rev: number): string {
  // CouchDB-style "<n>-<hash>"; the hash only has to differ between packages and revisions.
  let h = 0x811c9dc5;
  for (const ch of `${name}\u0000${rev}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${rev}-${h.toString(16).padStart(8, '0')}`;
}

/** Where npm fetches a version's attestations (npm-registry-api.md 6.2). */
export function attestationsPath(name: string, version: string): string {
  return `/-/npm/v1/attestations/${name}@${version}`;
}

function versionDist(state: PackumentState, v: VersionRecord): Record<string, unknown> {
  return {
    integrity: v.integrity,
    shasum: v.shasum,
    tarball: `${BASE_URL_MARKER}${tarballPath(state.pkg, v.version)}`,
    fileCount: v.fileCount,
    unpackedSize: v.unpackedSize,
    ...(v.logIndex === null ? {} : { tlogIndex: v.logIndex }),
    ...(v.signatures && v.signatures.length > 0 ? { signatures: v.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) } : {}),
    ...(v.attestations
      ? { attestations: { url: `${BASE_URL_MARKER}${attestationsPath(state.pkg.name, v.version)}`, provenance: { predicateType: v.attestations.provenance.predicateType } } }
      : {}),
  };
}

function fullVersion(state: PackumentState, v: VersionRecord, maintainers: unknown[]): Record<string, unknown> {
  const publisher = state.publishers.get(v.publishedBy);
  const doc: Record<string, unknown> = { ...v.manifest, name: state.pkg.name, version: v.version, _id: `${state.pkg.name}@${v.version}` };
  delete doc.readme; // served once, at the top level
  if (v.deprecated) doc.deprecated = v.deprecated;
  else delete doc.deprecated;
  if (publisher) doc._npmUser = { name: publisher.name, email: publisher.email };
  doc.maintainers = maintainers;
  doc.dist = versionDist(state, v);
  return doc;
}

function corgiVersion(full: Record<string, unknown>): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const field of CORGI_FIELDS) if (full[field] !== undefined) doc[field] = full[field];
  doc.dist = full.dist;
  return doc;
}

/** The version `latest` points at, or the highest one when no tag exists. */
export function latestVersion(state: PackumentState): VersionRecord | undefined {
  const tagged = state.distTags.latest;
  const byTag = tagged === undefined ? undefined : state.versions.find((v) => v.version === tagged);
  if (byTag) return byTag;
  const sorted = [...state.versions].sort((a, b) => semver.rcompare(a.version, b.version));
  return sorted[0];
}

/** Builds the full and abbreviated packuments (npm-registry-api.md 2.1). */
export function renderPackument(state: PackumentState): { full: string; abbrev: string } {
  const maintainers = state.maintainers.map((m) => ({ name: m.name, email: m.email }));
  const time: Record<string, string> = {
    created: state.createdAt.toISOString(),
    modified: state.modifiedAt.toISOString(),
  };
  const fullVersions: Record<string, Record<string, unknown>> = {};
  const corgiVersions: Record<string, Record<string, unknown>> = {};
  for (const v of state.versions) {
    const full = fullVersion(state, v, maintainers);
    fullVersions[v.version] = full;
    corgiVersions[v.version] = corgiVersion(full);
    time[v.version] = v.publishedAt.toISOString();
  }
  const latest = latestVersion(state);
  const top: Record<string, unknown> = {};
  if (latest) for (const field of TOP_LEVEL_FIELDS) if (latest.manifest[field] !== undefined) top[field] = latest.manifest[field];
  const readme = latest?.manifest.readme;
  const users: Record<string, boolean> = {};
  for (const name of state.starrers) users[name] = true;

  const full = {
    _id: state.pkg.name,
    _rev: revString(state.pkg.name, state.rev),
    name: state.pkg.name,
    'dist-tags': state.distTags,
    versions: fullVersions,
    time,
    maintainers,
    users,
    ...top,
    readme: typeof readme === 'string' ? readme : '',
  };
  const abbrev = {
    name: state.pkg.name,
    modified: time.modified,
    'dist-tags': state.distTags,
    versions: corgiVersions,
  };
  return { full: JSON.stringify(full), abbrev: JSON.stringify(abbrev) };
}
