import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildTar, buildTarball, packageTarball, publishBody, tarballPath, escapedName } from '../src/package-fixture.js';
import { integrityOf, makeTempDir, removeDir, runProcess, sha1Hex } from '../src/util.js';

test('testkit: buildTarball writes entries verbatim, system tar lists them', async () => {
  const dir = await makeTempDir();
  try {
    const tgz = buildTarball([
      { path: 'package/package.json', content: '{"name":"x","version":"1.0.0"}' },
      { path: '../evil.js', content: 'x' },
      { path: '/tmp/abs.js', content: 'y' },
      { path: 'package/link', type: 'symlink', linkname: '/etc/passwd' },
      { path: 'package/hard', type: 'hardlink', linkname: 'package/package.json' },
      { path: 'package/' + 'deep/'.repeat(40) + 'file.js', content: 'deep' },
    ]);
    await writeFile(join(dir, 't.tgz'), tgz);
    const r = await runProcess('tar', ['-tvzf', join(dir, 't.tgz')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /package\/package\.json/);
    assert.match(r.stdout, / \.\.\/evil\.js/);
    assert.match(r.stdout, / \/tmp\/abs\.js/);
    assert.match(r.stdout, /^l.* package\/link -> \/etc\/passwd$/m);
    assert.match(r.stdout, /^h.* package\/hard link to package\/package\.json$/m);
    assert.match(r.stdout, /deep\/deep\/file\.js/);
    assert.equal(gunzipSync(tgz).length % 512, 0);
  } finally {
    await removeDir(dir);
  }
});

test('testkit: packageTarball extracts to a valid package', async () => {
  const dir = await makeTempDir();
  try {
    const tgz = packageTarball({ name: '@s/p', version: '1.2.3', dependencies: { q: '^1.0.0' } });
    await writeFile(join(dir, 'p.tgz'), tgz);
    await mkdir(join(dir, 'out'));
    const r = await runProcess('tar', ['-xzf', join(dir, 'p.tgz'), '-C', join(dir, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    const pj = JSON.parse(await readFile(join(dir, 'out/package/package.json'), 'utf8'));
    assert.equal(pj.name, '@s/p');
    assert.deepEqual(pj.dependencies, { q: '^1.0.0' });
    assert.equal(buildTar([]).length, 1024);
  } finally {
    await removeDir(dir);
  }
});

test('testkit: publishBody has the shape npm sends', () => {
  const p = publishBody({ name: '@s/p', version: '1.0.0', registryUrl: 'https://r.example/npm/', access: 'public' });
  const b = p.body as any;
  assert.equal(b._id, '@s/p');
  assert.equal(b.access, 'public');
  assert.deepEqual(b['dist-tags'], { latest: '1.0.0' });
  const v = b.versions['1.0.0'];
  assert.equal(v._id, '@s/p@1.0.0');
  assert.equal(v.dist.integrity, integrityOf(p.tarball));
  assert.equal(v.dist.shasum, sha1Hex(p.tarball));
  assert.equal(v.dist.tarball, 'http://r.example/npm/@s/p/-/@s/p-1.0.0.tgz');
  const att = b._attachments['@s/p-1.0.0.tgz'];
  assert.equal(Buffer.from(att.data, 'base64').length, att.length);
  assert.equal(tarballPath('@s/p', '1.0.0'), '@s/p/-/p-1.0.0.tgz');
  assert.equal(escapedName('@s/p'), '@s%2fp');
});
