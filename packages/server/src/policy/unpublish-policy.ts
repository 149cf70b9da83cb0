import { ALLOW, deny, type Decision } from './decision.js';

/** The `unpublish.*` settings (docs/unpublish-policy.md); defaults are npm's. */
export interface UnpublishRules {
  /** False: owners can never unpublish; only an operator takedown removes anything. */
  readonly enabled: boolean;
  /** Owners may unpublish within this many hours of publish (npm: 72). */
  readonly windowHours: number;
  /** After the window: only with fewer downloads than this in the last 7 days (npm: 300). */
  readonly maxWeeklyDownloads: number;
  /** After the window: only with at most this many owners (npm: 1). */
  readonly maxOwners: number;
}

export const NPM_UNPUBLISH_RULES: UnpublishRules = Object.freeze({ enabled: true, windowHours: 72, maxWeeklyDownloads: 300, maxOwners: 1 });

export interface UnpublishFacts {
  /** `foo@1.0.0` for one version, `foo` for the whole package. */
  readonly target: string;
  /** The oldest publish time among what would be removed. */
  readonly publishedAt: Date;
  readonly now: Date;
  readonly weeklyDownloads: number;
  readonly ownerCount: number;
  /** Other packages in the registry that depend on the name (a few, for the message) and how many. */
  readonly dependents: { readonly names: readonly string[]; readonly total: number };
  /** Where the written policy is served, named in every refusal. */
  readonly policyUrl: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * GEN-2a, npm's unpublish policy: nothing that other packages depend on is removed; within the
 * window the owners may remove their own work; later only a little-used, single-owner package.
 * A refusal names every reason and points to `npm deprecate`.
 */
export function decideUnpublish(rules: UnpublishRules, facts: UnpublishFacts): Decision {
  const deprecate = `Use "npm deprecate ${facts.target} <message>" instead. Policy: ${facts.policyUrl}`;
  if (!rules.enabled) return deny('E_UNPUBLISH_FORBIDDEN', `Cannot unpublish ${facts.target}: unpublishing is disabled on this registry. ${deprecate}`);
  const reasons: string[] = [];
  const { total, names } = facts.dependents;
  if (total > 0) {
    const shown = names.slice(0, 3).join(', ') + (total > Math.min(names.length, 3) ? ', ...' : '');
    reasons.push(`${plural(total, 'package depends', 'packages depend')} on it (${shown})`);
  }
  const ageHours = (facts.now.getTime() - facts.publishedAt.getTime()) / 3_600_000;
  if (ageHours >= rules.windowHours) {
    const late = `it was published ${Math.floor(ageHours)} hours ago, after the ${rules.windowHours}-hour unpublish window, and`;
    const after: string[] = [];
    if (facts.weeklyDownloads >= rules.maxWeeklyDownloads) after.push(`it had ${facts.weeklyDownloads} downloads in the last week (the limit is under ${rules.maxWeeklyDownloads})`);
    if (facts.ownerCount > rules.maxOwners) after.push(`it has ${facts.ownerCount} owners (the limit is ${rules.maxOwners})`);
    if (after.length > 0) reasons.push(`${late} ${after.join(' and ')}`);
  }
  if (reasons.length === 0) return ALLOW;
  return deny('E_UNPUBLISH_FORBIDDEN', `Cannot unpublish ${facts.target}: ${reasons.join('; ')}. ${deprecate}`);
}

export interface NameReuseFacts {
  readonly name: string;
  readonly deleted: { readonly kind: 'unpublished' | 'taken-down'; readonly deletedAt: Date; readonly formerOwnerIds: readonly number[] };
  readonly userId: number;
  readonly now: Date;
  readonly quarantineHours: number;
  readonly policyUrl: string;
}

/**
 * GEN-2a: a deleted name is never reusable by anyone else. Its former owners may publish new
 * versions after the quarantine (npm: 24 hours) unless an operator took it down. Only an
 * operator's `bulwark admin names release` frees it for others.
 */
export function decideNameReuse(facts: NameReuseFacts): Decision {
  const { name, deleted } = facts;
  const when = deleted.deletedAt.toISOString();
  if (deleted.kind === 'taken-down') {
    return deny('E_NAME_DELETED', `${name} was taken down by the registry operators on ${when}; the name cannot be reused unless an operator releases it. Policy: ${facts.policyUrl}`);
  }
  if (!deleted.formerOwnerIds.includes(facts.userId)) {
    return deny('E_NAME_DELETED', `${name} was unpublished on ${when} and is reserved for its former owners; the name cannot be reused unless an operator releases it. Policy: ${facts.policyUrl}`);
  }
  const opensAt = deleted.deletedAt.getTime() + facts.quarantineHours * 3_600_000;
  if (facts.now.getTime() < opensAt) {
    return deny('E_NAME_DELETED', `${name} was unpublished on ${when}; its former owners may publish new versions from ${new Date(opensAt).toISOString()}. Policy: ${facts.policyUrl}`);
  }
  return ALLOW;
}
