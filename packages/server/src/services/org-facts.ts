import type { OrgFacts } from '../domain/organization.js';
import { parsePackageName } from '../domain/package-name.js';
import type { MetadataOps } from '../domain/ports.js';

/** The org facts for a write to `packageName` by `userId`, or undefined when no org owns its scope. */
export async function orgFactsFor(ops: MetadataOps, packageName: string, userId: number | null): Promise<OrgFacts | undefined> {
  const scope = packageName.startsWith('@') ? parsePackageName(packageName).scope : null;
  if (scope === null || !(await ops.orgExists(scope))) return undefined;
  if (userId === null) return { org: scope, actorRole: null, teamWrite: false };
  const [actorRole, permission] = await Promise.all([ops.findOrgRole(scope, userId), ops.findTeamPermission(packageName, userId)]);
  return { org: scope, actorRole, teamWrite: permission === 'read-write' };
}
