// AUTHZ-2a: the role matrix. Every write endpoint an org package has, tried by every role, each
// cell asserted. Requests are the ones the npm CLI sends (npm-registry-api.md 5.1, 5.5-5.9).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { publishBody } from '@bulwark/testkit';
import { Organizations } from '../../src/services/organizations.js';
import { systemClock } from '../../src/main.js';
import { bearer, inProcessRegistry, type InProcessRegistry } from './harness.js';

type Role = 'owner' | 'admin' | 'member' | 'team-read' | 'team-read-write' | 'maintainer' | 'outsider';
const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'team-read', 'team-read-write', 'maintainer', 'outsider'];
const PKG = '@acme/lib';
const ESC = '@acme%2flib';

describe('AUTHZ-2a: org roles separate managing people from publishing', () => {
  let reg: InProcessRegistry;
  const tokens = {} as Record<Role, string>;
  const userOf: Record<Role, string> = {
    owner: 'own', admin: 'adm', member: 'dev', 'team-read': 'reader', 'team-read-write': 'writer', maintainer: 'mnt', outsider: 'out',
  };
  let fresh = 0;
  const ok = (res: { statusCode: number; body: string }) => assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${res.statusCode} ${res.body}`);
  let versionSeq = 1;

  async function call(role: Role, method: 'PUT' | 'DELETE' | 'GET', url: string, payload?: unknown) {
    return reg.app.inject({
      method, url, headers: { ...bearer(tokens[role]), 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  }

  async function freshUser(orgMember: boolean): Promise<string> {
    const name = `fresh${++fresh}`;
    await reg.user(name);
    if (orgMember) ok(await call('owner', 'PUT', '/-/org/acme/user', { user: name, role: 'developer' }));
    return name;
  }

  async function doc() {
    return (await reg.app.inject({ url: `/${ESC}?write=true`, headers: { ...bearer(tokens.owner), accept: 'application/json' } })).json();
  }

  before(async () => {
    reg = await inProcessRegistry();
    for (const role of ROLES) tokens[role] = await reg.user(userOf[role]);
    await new Organizations({ store: reg.stores.metadata, clock: systemClock }).create('acme', 'own');
    for (const [role, orgRole] of [['admin', 'admin'], ['member', 'developer'], ['team-read', 'developer'], ['team-read-write', 'developer'], ['maintainer', 'developer']] as const) {
      ok(await call('owner', 'PUT', '/-/org/acme/user', { user: userOf[role], role: orgRole }));
    }
    const p = publishBody({ name: PKG, version: '1.0.0', access: 'public' });
    ok(await call('owner', 'PUT', `/${ESC}`, p.body));
    const d = await doc();
    ok(await call('owner', 'PUT', `/${ESC}/-rev/${d._rev}`, { _id: PKG, _rev: d._rev, maintainers: [{ name: 'own' }, { name: 'mnt' }] }));
    for (const [team, user, permissions] of [['readers', 'reader', 'read-only'], ['writers', 'writer', 'read-write']] as const) {
      ok(await call('owner', 'PUT', '/-/org/acme/team', { name: team }));
      ok(await call('owner', 'PUT', `/-/team/acme/${team}/user`, { user }));
      ok(await call('owner', 'PUT', `/-/team/acme/${team}/package`, { package: PKG, permissions }));
    }
    ok(await call('owner', 'PUT', '/-/org/acme/team', { name: 'spare' }));
  });
  after(() => reg.close());

  /** Each write endpoint as the npm CLI calls it; returns the HTTP status. */
  const ACTIONS: Record<string, (role: Role) => Promise<number>> = {
    'npm publish (new version)': async (role) => {
      const p = publishBody({ name: PKG, version: `1.0.${versionSeq++}`, tag: 'next', access: 'public' });
      return (await call(role, 'PUT', `/${ESC}`, p.body)).statusCode;
    },
    'npm publish (new package in the scope)': async (role) => {
      const name = `@acme/new-${role}`;
      return (await call(role, 'PUT', `/${name.replace('/', '%2f')}`, publishBody({ name, version: '1.0.0', access: 'public' }).body)).statusCode;
    },
    'npm dist-tag add': async (role) => (await call(role, 'PUT', `/-/package/${ESC}/dist-tags/t-${role}`, '1.0.0')).statusCode,
    'npm deprecate': async (role) => {
      const d = await doc();
      const versions = Object.fromEntries(Object.entries(d.versions as Record<string, object>).map(([v, m]) => [v, { ...m, deprecated: v === '1.0.0' ? `by ${role}` : undefined }]));
      return (await call(role, 'PUT', `/${ESC}/-rev/${d._rev}`, { _id: PKG, _rev: d._rev, versions })).statusCode;
    },
    'npm owner add': async (role) => {
      const target = await freshUser(true);
      const d = await doc();
      return (await call(role, 'PUT', `/${ESC}/-rev/${d._rev}`, { _id: PKG, _rev: d._rev, maintainers: [...d.maintainers, { name: target }] })).statusCode;
    },
    'npm access grant': async (role) => (await call(role, 'PUT', '/-/team/acme/spare/package', { package: PKG, permissions: 'read-only' })).statusCode,
    'npm org set': async (role) => (await call(role, 'PUT', '/-/org/acme/user', { user: await freshUser(false), role: 'developer' })).statusCode,
    'npm team add': async (role) => (await call(role, 'PUT', '/-/team/acme/spare/user', { user: await freshUser(true) })).statusCode,
    'npm trust github': async (role) => (await reg.app.inject({
      method: 'POST', url: `/-/package/${ESC}/trust`, headers: { ...bearer(tokens[role]), 'content-type': 'application/json' },
      payload: JSON.stringify([{ type: 'github', claims: { repository: `acme/${role}`, workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }]),
    })).statusCode,
    'npm stage publish': async (role) => (await reg.app.inject({
      method: 'POST', url: `/-/stage/package/${ESC}`, headers: { ...bearer(tokens[role]), 'content-type': 'application/json' },
      payload: JSON.stringify(publishBody({ name: PKG, version: `1.0.${versionSeq++}`, tag: 'next', access: 'public' }).body),
    })).statusCode,
    'npm unpublish (a version)': async (role) => {
      const version = `1.0.${versionSeq++}`;
      ok(await call('owner', 'PUT', `/${ESC}`, publishBody({ name: PKG, version, tag: 'next', access: 'public' }).body));
      const d = await doc();
      const versions = Object.fromEntries(Object.entries(d.versions as Record<string, object>).filter(([v]) => v !== version));
      return (await call(role, 'PUT', `/${ESC}/-rev/${d._rev}`, { ...d, versions })).statusCode;
    },
  };

  const Y = true;
  const N = false;
  // owner, admin, member, team-read, team-read-write, maintainer, outsider
  const EXPECTED: Record<string, readonly boolean[]> = {
    'npm publish (new version)': [Y, N, N, N, Y, Y, N],
    'npm publish (new package in the scope)': [Y, N, Y, Y, Y, Y, N],
    'npm dist-tag add': [Y, N, N, N, Y, Y, N],
    'npm deprecate': [Y, N, N, N, Y, Y, N],
    'npm owner add': [Y, Y, N, N, N, N, N],
    'npm access grant': [Y, Y, N, N, N, N, N],
    'npm org set': [Y, Y, N, N, N, N, N],
    'npm team add': [Y, Y, N, N, N, N, N],
    // Who may publish from CI is a publish right: admins cannot give themselves a CI identity.
    'npm trust github': [Y, N, N, N, Y, Y, N],
    'npm stage publish': [Y, N, N, N, Y, Y, N],
    'npm unpublish (a version)': [Y, N, N, N, Y, Y, N],
  };

  for (const [action, row] of Object.entries(EXPECTED)) {
    ROLES.forEach((role, i) => {
      const allowed = row[i]!;
      test(`AUTHZ-2a: ${action} by ${role} is ${allowed ? 'allowed' : 'refused'}`, async () => {
        const status = await ACTIONS[action]!(role);
        if (allowed) assert.ok(status >= 200 && status < 300, `expected success, got ${status}`);
        else assert.ok(status === 403, `expected 403, got ${status}`);
      });
    });
  }

  test('AUTHZ-2a: an admin cannot give themselves publish rights (team, maintainer) or touch owners', async () => {
    assert.equal((await call('admin', 'PUT', '/-/team/acme/writers/user', { user: 'adm' })).statusCode, 403);
    const d = await doc();
    assert.equal((await call('admin', 'PUT', `/${ESC}/-rev/${d._rev}`, { _id: PKG, _rev: d._rev, maintainers: [...d.maintainers, { name: 'adm' }] })).statusCode, 403);
    assert.equal((await call('admin', 'PUT', '/-/org/acme/user', { user: 'adm', role: 'owner' })).statusCode, 403);
    assert.equal((await call('admin', 'DELETE', '/-/org/acme/user', { user: 'own' })).statusCode, 403);
  });

  test('AUTHZ-2a: the last owner cannot leave; members and teams are listed in npm\'s shapes', async () => {
    const res = await call('owner', 'DELETE', '/-/org/acme/user', { user: 'own' });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().error, /at least one owner/);
    const members = (await call('member', 'GET', '/-/org/acme/user')).json();
    assert.equal(members.own, 'owner');
    assert.equal(members.adm, 'admin');
    assert.equal(members.dev, 'developer');
    assert.deepEqual((await call('member', 'GET', '/-/org/acme/team?format=cli')).json(), ['acme:readers', 'acme:spare', 'acme:writers']);
    assert.equal((await call('outsider', 'GET', '/-/org/acme/user')).statusCode, 403);
    const collaborators = (await reg.app.inject({ url: `/-/package/${ESC}/collaborators` })).json();
    assert.equal(collaborators.writer, 'write');
    assert.equal(collaborators.reader, 'read');
    assert.equal(collaborators.mnt, 'write');
  });

  test('AUTHZ-2a: a token scoped to another package cannot manage the org', async () => {
    const scoped = await reg.user('own', { token: { packages: ['other-pkg'] } });
    const res = await reg.app.inject({ method: 'PUT', url: '/-/org/acme/user', headers: { ...bearer(scoped), 'content-type': 'application/json' }, payload: JSON.stringify({ user: 'out', role: 'developer' }) });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'E_TOKEN_SCOPE');
  });
});
