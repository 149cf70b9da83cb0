import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observe } from '../../src/tlog/anomalies.js';
import { lockfilePackages, parsePackageRef } from '../../src/tlog/lockfile.js';
import type { FeedEntry } from '../../src/tlog/registry-client.js';
import type { MonitorState } from '../../src/tlog/state-file.js';

test('GEN-3b: the monitor flags a new publisher, a maintainer added, a tag moved back and an undeprecation', () => {
  const state: MonitorState = { next: 0, packages: {} };
  let index = 0;
  const see = (e: Record<string, unknown>) => observe(state, { index: index++, time: 't', name: 'p', actor: 'alice', ...e } as unknown as FeedEntry).map((a) => a.kind);
  assert.deepEqual(see({ type: 'version-published', version: '1.0.0' }), [], 'the first publish is the baseline');
  assert.deepEqual(see({ type: 'dist-tag-set', tag: 'latest', version: '1.0.0' }), []);
  assert.deepEqual(see({ type: 'version-published', version: '1.1.0' }), []);
  assert.deepEqual(see({ type: 'dist-tag-set', tag: 'latest', version: '1.1.0' }), []);
  assert.deepEqual(see({ type: 'version-published', version: '1.2.0', actor: 'mallory' }), ['new-publisher']);
  assert.deepEqual(see({ type: 'maintainers-changed', added: ['mallory'], removed: [] }), ['maintainer-added']);
  assert.deepEqual(see({ type: 'dist-tag-set', tag: 'latest', version: '1.0.0' }), ['dist-tag-backwards']);
  assert.deepEqual(see({ type: 'version-deprecated', version: '1.0.0', message: 'old' }), []);
  assert.deepEqual(see({ type: 'version-deprecated', version: '1.0.0', message: null }), ['deprecation-removed']);
  assert.deepEqual(state.packages.p!.publishers, ['alice', 'mallory']);
});

test('GEN-3b / AUTHZ-2a: the monitor flags a team given write access, not read access', () => {
  const state: MonitorState = { next: 0, packages: {} };
  let index = 0;
  const see = (e: Record<string, unknown>) => observe(state, { index: index++, time: 't', name: '@acme/core', actor: 'adam', org: 'acme', team: 'devs', type: 'team-access-changed', ...e } as unknown as FeedEntry).map((a) => a.kind);
  assert.deepEqual(see({ permission: 'read-only' }), []);
  assert.deepEqual(see({ permission: 'read-write' }), ['team-write-granted']);
  assert.deepEqual(see({ permission: null }), []);
});

test('GEN-3b: the monitor flags a publish without provenance after versions that had it', () => {
  const state: MonitorState = { next: 0, packages: {} };
  let index = 0;
  const see = (e: Record<string, unknown>) => observe(state, { index: index++, time: 't', name: 'q', actor: 'alice', type: 'version-published', ...e } as unknown as FeedEntry).map((a) => a.kind);
  assert.deepEqual(see({ version: '1.0.0', provenance: null }), [], 'never had provenance: nothing to flag');
  assert.deepEqual(see({ version: '1.1.0', provenance: 'sha256:aa' }), []);
  assert.deepEqual(see({ version: '1.2.0', provenance: null }), ['provenance-dropped']);
});

test('GEN-3b: package refs and lockfile packages on the registry', async () => {
  assert.deepEqual(parsePackageRef('@s/n@1.2.3'), { name: '@s/n', version: '1.2.3' });
  assert.throws(() => parsePackageRef('plain'), /not name@version/);
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-lock-'));
  const lock = join(dir, 'package-lock.json');
  await writeFile(lock, JSON.stringify({ lockfileVersion: 3, packages: {
    '': { name: 'app' },
    'node_modules/a': { version: '1.0.0', resolved: 'http://reg.test/a/-/a-1.0.0.tgz' },
    'node_modules/a/node_modules/@s/b': { version: '2.0.0', resolved: 'http://reg.test/@s/b/-/b-2.0.0.tgz' },
    'node_modules/c': { version: '3.0.0', resolved: 'https://registry.npmjs.org/c/-/c-3.0.0.tgz' },
    'node_modules/d': { link: true, resolved: 'packages/d' },
  } }));
  assert.deepEqual(await lockfilePackages(lock, 'http://reg.test/'), [{ name: 'a', version: '1.0.0' }, { name: '@s/b', version: '2.0.0' }]);
});
