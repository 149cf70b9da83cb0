import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePackageName } from '../../src/domain/package-name.js';
import { BASE_URL_MARKER, latestVersion, renderPackument, revString, type PackumentState } from '../../src/domain/packument.js';
import type { VersionRecord } from '../../src/domain/records.js';

type Json = Record<string, any>;

const CREATED = new Date('2024-01-01T00:00:00.000Z');
const MODIFIED = new Date('2024-02-02T12:00:00.000Z');

function version(name: string, v: string, overrides: Partial<VersionRecord> = {}, manifest: Record<string, unknown> = {}): VersionRecord {
  return {
    name,
    version: v,
    manifest: {
      name,
      version: v,
      description: `${name} at ${v}`,
      license: 'MIT',
      main: 'index.js',
      readme: `# ${name} ${v}`,
      readmeFilename: 'README.md',
      scripts: { test: 'node --test' },
      dependencies: { semver: '^7.0.0' },
      devDependencies: { typescript: '^5.0.0' },
      engines: { node: '>=20' },
      bin: { [name.split('/').pop()!]: 'cli.js' },
      author: 'Alice <alice@example.com>',
      _nodeVersion: '20.0.0',
      _npmVersion: '10.0.0',
      ...manifest,
    },
    integrity: `sha512-${v}`,
    shasum: `sha1-${v}`,
    blobKey: 'ab'.repeat(64),
    size: 100,
    fileCount: 4,
    unpackedSize: 2048,
    publishedAt: new Date(`2024-01-0${v.split('.')[1] === '0' ? 1 : 5}T10:00:00.000Z`),
    publishedBy: 1,
    deprecated: null,
    logIndex: null,
    ...overrides,
  };
}

function state(name: string, versions: VersionRecord[], overrides: Partial<PackumentState> = {}): PackumentState {
  return {
    pkg: parsePackageName(name),
    rev: 3,
    createdAt: CREATED,
    modifiedAt: MODIFIED,
    distTags: { latest: versions[versions.length - 1]!.version },
    versions,
    maintainers: [
      { userId: 1, name: 'alice', email: 'alice@example.com' },
      { userId: 2, name: 'bob', email: 'bob@example.com' },
    ],
    starrers: ['carol'],
    publishers: new Map([[1, { name: 'alice', email: 'alice@example.com' }], [2, { name: 'bob', email: 'bob@example.com' }]]),
    ...overrides,
  };
}

function render(s: PackumentState): { full: Json; abbrev: Json } {
  const { full, abbrev } = renderPackument(s);
  return { full: JSON.parse(full) as Json, abbrev: JSON.parse(abbrev) as Json };
}

describe('renderPackument: full document', () => {
  const v1 = version('widget', '1.0.0', { publishedAt: new Date('2024-01-10T00:00:00.000Z') });
  const v2 = version('widget', '1.1.0', { publishedAt: new Date('2024-01-20T00:00:00.000Z'), publishedBy: 2 });
  const { full } = render(state('widget', [v1, v2]));

  test('has _id, _rev, name, dist-tags and users', () => {
    assert.equal(full._id, 'widget');
    assert.equal(full.name, 'widget');
    assert.equal(full._rev, revString('widget', 3));
    assert.match(full._rev, /^3-[0-9a-f]{8}$/);
    assert.deepEqual(full['dist-tags'], { latest: '1.1.0' });
    assert.deepEqual(full.users, { carol: true });
  });

  test('time has created, modified and every version\'s publish time', () => {
    assert.deepEqual(full.time, {
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-02-02T12:00:00.000Z',
      '1.0.0': '2024-01-10T00:00:00.000Z',
      '1.1.0': '2024-01-20T00:00:00.000Z',
    });
  });

  test('maintainers are name and email only, at the top level and in each version', () => {
    const expected = [{ name: 'alice', email: 'alice@example.com' }, { name: 'bob', email: 'bob@example.com' }];
    assert.deepEqual(full.maintainers, expected);
    assert.deepEqual(full.versions['1.0.0'].maintainers, expected);
    assert.deepEqual(full.versions['1.1.0'].maintainers, expected);
  });

  test('each version names its publisher in _npmUser and has its _id', () => {
    assert.deepEqual(full.versions['1.0.0']._npmUser, { name: 'alice', email: 'alice@example.com' });
    assert.deepEqual(full.versions['1.1.0']._npmUser, { name: 'bob', email: 'bob@example.com' });
    assert.equal(full.versions['1.1.0']._id, 'widget@1.1.0');
    assert.equal(full.versions['1.1.0'].name, 'widget');
    assert.equal(full.versions['1.1.0'].version, '1.1.0');
  });

  test('dist has integrity, shasum, counts and a marker-based tarball URL (npmjs layout)', () => {
    assert.deepEqual(full.versions['1.0.0'].dist, {
      integrity: 'sha512-1.0.0',
      shasum: 'sha1-1.0.0',
      tarball: `${BASE_URL_MARKER}/widget/-/widget-1.0.0.tgz`,
      fileCount: 4,
      unpackedSize: 2048,
    });
  });

  test('version manifests keep what was published (scripts, devDependencies, _npmVersion)', () => {
    const v = full.versions['1.0.0'];
    assert.deepEqual(v.scripts, { test: 'node --test' });
    assert.deepEqual(v.devDependencies, { typescript: '^5.0.0' });
    assert.equal(v._npmVersion, '10.0.0');
    assert.equal(v.description, 'widget at 1.0.0');
  });

  test('top-level description and license come from the latest version', () => {
    assert.equal(full.description, 'widget at 1.1.0');
    assert.equal(full.license, 'MIT');
    assert.equal(full.readmeFilename, 'README.md');
  });

  test('the readme appears once, at the top level, from the latest version', () => {
    assert.equal(full.readme, '# widget 1.1.0');
    for (const v of Object.values(full.versions as Record<string, Json>)) assert.equal('readme' in v, false);
  });
});

describe('renderPackument: scoped packages', () => {
  test('the tarball path keeps the scope in the folder and drops it from the file name', () => {
    const { full, abbrev } = render(state('@acme/widget', [version('@acme/widget', '2.0.0')]));
    const expected = `${BASE_URL_MARKER}/@acme/widget/-/widget-2.0.0.tgz`;
    assert.equal(full.versions['2.0.0'].dist.tarball, expected);
    assert.equal(abbrev.versions['2.0.0'].dist.tarball, expected);
    assert.equal(full._id, '@acme/widget');
    assert.equal(full.versions['2.0.0']._id, '@acme/widget@2.0.0');
  });
});

describe('renderPackument: abbreviated (corgi) document', () => {
  const v1 = version('widget', '1.0.0', {}, {
    optionalDependencies: { fsevents: '^2.0.0' },
    peerDependencies: { react: '*' },
    os: ['linux'],
    cpu: ['x64'],
    funding: 'https://example.com/fund',
    hasInstallScript: true,
    keywords: ['k'],
    repository: 'github:acme/widget',
    homepage: 'https://example.com',
  });
  const { full, abbrev } = render(state('widget', [v1]));

  test('the top level has only name, modified, dist-tags and versions', () => {
    assert.deepEqual(Object.keys(abbrev).sort(), ['dist-tags', 'modified', 'name', 'versions']);
    assert.equal(abbrev.name, 'widget');
    assert.equal(abbrev.modified, '2024-02-02T12:00:00.000Z');
    assert.deepEqual(abbrev['dist-tags'], { latest: '1.0.0' });
  });

  test('a version keeps only install-relevant fields and dist', () => {
    const v = abbrev.versions['1.0.0'];
    assert.deepEqual(Object.keys(v).sort(), [
      'bin', 'cpu', 'dependencies', 'devDependencies', 'dist', 'engines', 'funding', 'hasInstallScript', 'license', 'name',
      'optionalDependencies', 'os', 'peerDependencies', 'version',
    ]);
    assert.deepEqual(v.dist, full.versions['1.0.0'].dist);
    for (const dropped of ['description', 'readme', 'scripts', 'author', 'keywords', 'repository', 'homepage', '_npmUser', 'maintainers', '_id', '_nodeVersion', 'main']) {
      assert.equal(dropped in v, false, `${dropped} is in the corgi version`);
    }
  });
});

describe('renderPackument: deprecation', () => {
  test('a deprecated version carries the message in both documents', () => {
    const { full, abbrev } = render(state('widget', [version('widget', '1.0.0', { deprecated: 'use 2.x' }), version('widget', '1.1.0')]));
    assert.equal(full.versions['1.0.0'].deprecated, 'use 2.x');
    assert.equal(abbrev.versions['1.0.0'].deprecated, 'use 2.x');
    assert.equal('deprecated' in full.versions['1.1.0'], false);
    assert.equal('deprecated' in abbrev.versions['1.1.0'], false);
  });

  test('an undeprecated version has no deprecated field, even if its manifest had one', () => {
    const v = version('widget', '1.0.0', { deprecated: null }, { deprecated: 'stale message from the manifest' });
    const { full, abbrev } = render(state('widget', [v]));
    assert.equal('deprecated' in full.versions['1.0.0'], false);
    assert.equal('deprecated' in abbrev.versions['1.0.0'], false);
  });
});

describe('latest version and revisions', () => {
  test('top-level fields follow the latest dist-tag, not the highest version', () => {
    const stable = version('widget', '1.0.0');
    const beta = version('widget', '2.0.0-beta.1', {}, { description: 'beta', readme: '# beta' });
    const { full } = render(state('widget', [stable, beta], { distTags: { latest: '1.0.0', next: '2.0.0-beta.1' } }));
    assert.equal(full.description, 'widget at 1.0.0');
    assert.equal(full.readme, '# widget 1.0.0');
  });

  test('without a latest tag the highest semver version counts as latest', () => {
    const s = state('widget', [version('widget', '1.10.0'), version('widget', '1.9.0'), version('widget', '1.2.0')], { distTags: {} });
    assert.equal(latestVersion(s)?.version, '1.10.0');
  });

  test('a package without versions renders an empty readme and no top-level description', () => {
    const { full, abbrev } = render(state('widget', [version('widget', '1.0.0')], { versions: [], distTags: {} }));
    assert.equal(full.readme, '');
    assert.equal('description' in full, false);
    assert.deepEqual(full.versions, {});
    assert.deepEqual(abbrev.versions, {});
  });

  test('_rev differs between revisions and between packages', () => {
    assert.notEqual(revString('widget', 1), revString('widget', 2));
    assert.notEqual(revString('widget', 1), revString('gadget', 1));
    assert.equal(revString('widget', 7), revString('widget', 7));
    assert.match(revString('widget', 12), /^12-/);
  });
});
