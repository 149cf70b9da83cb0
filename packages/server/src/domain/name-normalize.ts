/**
 * Package-name normal forms used by the typosquat guard (GEN-1b). Names reaching these functions
 * passed npm's rules (ASCII, lower case for new packages), but imported corpora may hold legacy
 * mixed-case names, so every function lower-cases first.
 */

export interface SplitName {
  /** Scope without '@', or null. */
  readonly scope: string | null;
  /** The part after the scope. */
  readonly base: string;
}

export function splitName(name: string): SplitName {
  const lower = name.toLowerCase();
  const slash = lower.indexOf('/');
  if (lower.startsWith('@') && slash > 0) return { scope: lower.slice(1, slash), base: lower.slice(slash + 1) };
  return { scope: null, base: lower };
}

/**
 * PyPI's "ultranormalized" key: separators `.`, `-`, `_` removed, case folded, `l`/`i` -> `1`,
 * `o` -> `0`. Two names with the same key look alike to a reader, so the second is refused.
 */
export function foldPart(part: string): string {
  return part.toLowerCase().replace(/[._-]/g, '').replace(/[li]/g, '1').replace(/o/g, '0');
}

/** The collision key of a whole name; the scope is folded the same way and kept apart. */
export function collisionKey(name: string): string {
  const { scope, base } = splitName(name);
  return scope === null ? foldPart(base) : `@${foldPart(scope)}/${foldPart(base)}`;
}

/** Multi-letter look-alikes that survive the collision key (`rn` reads as `m`, `vv` as `w`). */
const VISUAL_SEQUENCES: ReadonlyArray<readonly [RegExp, string]> = [
  [/rn/g, 'm'], [/vv/g, 'w'], [/cl/g, 'd'], [/nn/g, 'm'],
];

/** The collision key with multi-letter and digit look-alikes folded too: `rnoment` ~ `moment`. */
export function confusableKey(name: string): string {
  let key = collisionKey(name);
  for (const [pattern, replacement] of VISUAL_SEQUENCES) key = key.replace(pattern, replacement);
  return key;
}

/** The words of a name part: `react-dom` -> [react, dom]; `lodash.merge` -> [lodash, merge]. */
export function tokenize(part: string): string[] {
  return part.toLowerCase().split(/[._-]+/).filter((t) => t.length > 0);
}

/** Order-free key of a name part's words: `dom-react` and `react-dom` share `dom react`. */
export function permutationKey(part: string): string {
  return tokenize(part).sort().join(' ');
}

/** Words joined with one separator, so `lodash_utils` and `lodash-utils` compare alike. */
export function tokenJoin(tokens: readonly string[]): string {
  return tokens.join('-');
}
