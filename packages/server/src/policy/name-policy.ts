import type { NameMatch, NameRule, ProtectedName } from '../domain/name-index.js';

/** What happens to a new name that trips a rule. `review`: refused until an operator allows the name. */
export type NameAction = 'block' | 'review' | 'allow';

export type NameActions = Readonly<Record<NameRule, NameAction>>;

/** Why a name was allowed without a similarity check, or refused outright. */
export type NameVerdictRule = NameRule | 'deny-list' | 'allow-list' | 'none';

export interface NameDecision {
  readonly action: NameAction;
  readonly rule: NameVerdictRule;
  /** The protected package the name imitates (the deciding match). */
  readonly similarTo: ProtectedName | null;
  readonly reason: string;
  /** Every match that was not exempted, with its action: what an operator reviewing the name sees. */
  readonly matches: ReadonlyArray<{ readonly rule: NameRule; readonly name: string; readonly action: NameAction; readonly detail: string }>;
  /** Matches set aside because the publisher maintains the similar package. */
  readonly exempted: readonly string[];
}

export interface NameFacts {
  readonly name: string;
  /** Every match the index found (see NameIndex.find). */
  readonly matches: readonly NameMatch[];
  /** Names among the matches that the publisher already maintains (lodash's owner may publish lodash-es). */
  readonly maintainedByPublisher: ReadonlySet<string>;
  readonly allowListed: boolean;
  readonly denyListed: boolean;
  readonly actions: NameActions;
}

const SEVERITY: Readonly<Record<NameAction, number>> = { allow: 0, review: 1, block: 2 };

function describe(similar: ProtectedName): string {
  const popularity = similar.source === 'import'
    ? `#${similar.rank} by downloads${similar.downloads > 0 ? `, ${similar.downloads.toLocaleString('en-US')} downloads` : ''}`
    : `#${similar.rank} in this registry, ${similar.dependents} dependent package${similar.dependents === 1 ? '' : 's'}`;
  return `${similar.name} (${popularity})`;
}

const RULE_TEXT: Readonly<Record<NameRule, string>> = {
  collision: 'collides (ignoring case, ".", "-", "_" and l/i/1, o/0) with',
  confusable: 'reads the same as',
  omitted: 'drops one character of',
  repeated: 'repeats a character of',
  swapped: 'swaps two characters of',
  keyboard: 'is a keyboard-neighbour typo of',
  visual: 'swaps a look-alike character of',
  'edit-distance': 'is a few characters away from',
  permutation: 'reorders the words of',
  'combosquat-affix': 'adds a common squatting word to',
  combosquat: 'wraps the popular name',
  scope: 'uses a scope one typo away from the scope of',
};

/**
 * GEN-1b: decides whether a new package name may be taken. Pure: the index finds the matches, the
 * caller looks up lists and maintainers. The deny-list always wins, then the allow-list, then the
 * most severe action among the matches the publisher does not maintain (ties: the most popular).
 */
export function decideName(facts: NameFacts): NameDecision {
  if (facts.denyListed) {
    return { action: 'block', rule: 'deny-list', similarTo: null, reason: `The name ${facts.name} is on this registry's list of prohibited names.`, matches: [], exempted: [] };
  }
  const exempted = [...new Set(facts.matches.filter((m) => facts.maintainedByPublisher.has(m.similar.name)).map((m) => m.similar.name))];
  const relevant = facts.matches
    .filter((m) => !facts.maintainedByPublisher.has(m.similar.name))
    .map((m) => ({ match: m, action: facts.actions[m.rule] }));
  const matches = relevant.map(({ match, action }) => ({ rule: match.rule, name: match.similar.name, action, detail: match.detail }));
  if (facts.allowListed) {
    return { action: 'allow', rule: 'allow-list', similarTo: null, reason: `An operator allowed the name ${facts.name}.`, matches, exempted };
  }
  let decisive: (typeof relevant)[number] | null = null;
  for (const candidate of relevant) {
    if (candidate.action === 'allow') continue;
    if (decisive === null || SEVERITY[candidate.action] > SEVERITY[decisive.action] ||
      (SEVERITY[candidate.action] === SEVERITY[decisive.action] && candidate.match.priority < decisive.match.priority)) {
      decisive = candidate;
    }
  }
  if (decisive === null) {
    return { action: 'allow', rule: 'none', similarTo: null, reason: `No protected name is similar to ${facts.name}.`, matches, exempted };
  }
  const { match, action } = decisive;
  return {
    action, rule: match.rule, similarTo: match.similar, matches, exempted,
    reason: `The name ${facts.name} ${RULE_TEXT[match.rule]} ${describe(match.similar)}.`,
  };
}
