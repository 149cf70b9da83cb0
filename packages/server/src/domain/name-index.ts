import { HashBuckets, HashBucketsBuilder, MAX_IDS, hash31, hash31Skipping } from './hash-buckets.js';
import { collisionKey, confusableKey, permutationKey, splitName, tokenize, tokenJoin } from './name-normalize.js';
import { boundedDistance, classifySingleEdit, type TypoKind } from './typo-kinds.js';

/** A name the guard protects, with why it is popular (evidence shown to users and operators). */
export interface ProtectedName {
  readonly name: string;
  /** 1 = most popular within its source. */
  readonly rank: number;
  readonly downloads: number;
  readonly dependents: number;
  /** `import`: an operator-imported list; `registry`: this registry's own packages. */
  readonly source: 'import' | 'registry';
}

export type NameRule = 'collision' | 'confusable' | TypoKind | 'permutation' | 'combosquat-affix' | 'combosquat' | 'scope';

export const NAME_RULES: readonly NameRule[] = [
  'collision', 'confusable', 'omitted', 'repeated', 'swapped', 'keyboard', 'visual', 'edit-distance', 'permutation', 'combosquat-affix', 'combosquat', 'scope',
];

export interface NameMatch {
  readonly rule: NameRule;
  readonly similar: ProtectedName;
  /** Position of `similar` in the corpus (0 = highest priority); ties between matches go to the lowest. */
  readonly priority: number;
  readonly detail: string;
}

export interface NameIndexOptions {
  /** Protected names (base part) shorter than this get only the collision and confusable rules. */
  readonly minLengthTypo: number;
  /** From this base length, edit distance 2 also counts; 0 = never. */
  readonly minLengthDistance2: number;
  /** Protected names at priority < this also count behind any other word (`bigops-eslint`); 0 = affix words only. */
  readonly combosquatTop: number;
  /** A protected name core must be at least this long to count inside a longer name. */
  readonly minLengthCombo: number;
  /** Words attackers add to a popular name (`-js`, `-utils`, `node-`). */
  readonly affixes: readonly string[];
}

export interface NameIndexStats {
  readonly names: number;
  readonly scopes: number;
  readonly deleteVariants: number;
  readonly indexBytes: number;
  readonly buildMs: number;
}

/**
 * Hashes of the word and of every string made by deleting one character, computed without building
 * those strings (the hot loop of a build over millions of names). Deleting any character of a run
 * of equal characters gives the same string, so only the first of a run counts.
 */
function oneDeleteHashes(word: string, visit: (hash: number) => void): void {
  visit(hash31(word));
  for (let i = 0; i < word.length; i++) if (i === 0 || word[i] !== word[i - 1]) visit(hash31Skipping(word, i));
}

/** Every string made by deleting up to `depth` characters (the string itself included). */
function deletes(word: string, depth: number, into: Set<string> = new Set()): Set<string> {
  into.add(word);
  if (depth === 0 || word.length <= 1) return into;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!into.has(shorter) || depth > 1) deletes(shorter, depth - 1, into);
  }
  return into;
}

/**
 * Finds the protected names a candidate name imitates, without scanning the corpus: exact keys for
 * collisions, permutations and combosquat cores, and symmetric-delete variants (Garbe's SymSpell)
 * for edit distance, all in hash buckets. Built once from a corpus and then read-only.
 */
export class NameIndex {
  private readonly entries: readonly ProtectedName[];
  private readonly byCollision: HashBuckets;
  private readonly byConfusable: HashBuckets;
  private readonly byPermutation: HashBuckets;
  private readonly byCore: HashBuckets;
  private readonly byDelete: HashBuckets;
  /** Protected scopes: the first (highest-priority) entry in each. */
  private readonly scopeEntries: number[];
  private readonly scopeNames: string[];
  private readonly byScopeDelete: HashBuckets;
  private readonly byScope: HashBuckets;
  private readonly affixes: ReadonlySet<string>;
  readonly stats: NameIndexStats;

  /** `corpus` is in priority order; duplicates after the first are ignored. */
  constructor(corpus: readonly ProtectedName[], private readonly options: NameIndexOptions) {
    const started = performance.now();
    if (corpus.length > MAX_IDS) throw new RangeError(`the protected corpus is limited to ${MAX_IDS} names`);
    const seen = new Set<string>();
    const entries: ProtectedName[] = [];
    for (const entry of corpus) {
      const lower = entry.name.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      entries.push(entry);
    }
    this.entries = entries;
    this.affixes = new Set(options.affixes);
    const collision = new HashBucketsBuilder();
    const confusable = new HashBucketsBuilder();
    const permutation = new HashBucketsBuilder();
    const core = new HashBucketsBuilder();
    const variants = new HashBucketsBuilder();
    const scopeIds = new Map<string, number>();
    entries.forEach((entry, id) => {
      collision.add(collisionKey(entry.name), id);
      confusable.add(confusableKey(entry.name), id);
      const { scope, base } = splitName(entry.name);
      if (scope !== null) {
        if (!scopeIds.has(scope)) scopeIds.set(scope, id);
        return; // inside a scope only its owner can publish: imitation happens at the scope
      }
      const tokens = tokenize(base);
      if (tokens.length >= 2) permutation.add(permutationKey(base), id);
      if (base.length >= options.minLengthCombo) core.add(tokenJoin(tokens), id);
      const depth = this.allowedDistance(base.length);
      if (depth === 1) oneDeleteHashes(base, (hash) => variants.addHash(hash, id));
      else if (depth > 1) for (const variant of deletes(base, depth)) variants.add(variant, id);
    });
    this.scopeNames = [...scopeIds.keys()];
    this.scopeEntries = [...scopeIds.values()];
    const scopeVariants = new HashBucketsBuilder();
    const scopeExact = new HashBucketsBuilder();
    this.scopeNames.forEach((scope, i) => {
      scopeExact.add(scope, i);
      if (scope.length >= options.minLengthTypo) for (const variant of deletes(scope, 1)) scopeVariants.add(variant, i);
    });
    this.byCollision = collision.freeze();
    this.byConfusable = confusable.freeze();
    this.byPermutation = permutation.freeze();
    this.byCore = core.freeze();
    this.byDelete = variants.freeze();
    this.byScopeDelete = scopeVariants.freeze();
    this.byScope = scopeExact.freeze();
    const all = [this.byCollision, this.byConfusable, this.byPermutation, this.byCore, this.byDelete, this.byScopeDelete, this.byScope];
    this.stats = {
      names: entries.length,
      scopes: this.scopeNames.length,
      deleteVariants: this.byDelete.pairs,
      indexBytes: all.reduce((sum, b) => sum + b.bytes, 0),
      buildMs: Math.round(performance.now() - started),
    };
  }

  get size(): number {
    return this.entries.length;
  }

  /** Edit distance that still counts as a typo of a protected base name of this length. */
  allowedDistance(length: number): number {
    if (length < this.options.minLengthTypo) return 0;
    if (this.options.minLengthDistance2 > 0 && length >= this.options.minLengthDistance2) return 2;
    return 1;
  }

  /** The protected entry with exactly this name, if any. */
  exact(name: string): ProtectedName | null {
    const id = this.exactId(name);
    return id === -1 ? null : this.entries[id]!;
  }

  private exactId(name: string): number {
    const lower = name.toLowerCase();
    let found = -1;
    this.byCollision.forEach(collisionKey(lower), (id) => {
      if (found === -1 && this.entries[id]!.name.toLowerCase() === lower) found = id;
    });
    return found;
  }

  /** Every rule the candidate trips, at most one match per (rule, protected name). */
  find(candidate: string): NameMatch[] {
    const name = candidate.toLowerCase();
    const matches = new Map<string, NameMatch>();
    const add = (rule: NameRule, id: number, detail: string): void => {
      const similar = this.entries[id]!;
      if (similar.name.toLowerCase() === name) return;
      const key = `${rule}\u0000${id}`;
      if (!matches.has(key)) matches.set(key, { rule, similar, priority: id, detail });
    };
    const self = this.exactId(name);
    if (self !== -1 && this.entries[self]!.source === 'import') {
      // Taking an imported name here would impersonate the package everyone knows by it.
      const key = `collision\u0000${self}`;
      matches.set(key, { rule: 'collision', similar: this.entries[self]!, priority: self, detail: 'the same name as a protected package' });
    }
    const key = collisionKey(name);
    this.byCollision.forEach(key, (id) => {
      if (collisionKey(this.entries[id]!.name) === key) add('collision', id, `same name once case, ".", "-", "_" and l/i/1, o/0 are folded (${key})`);
    });
    const looks = confusableKey(name);
    this.byConfusable.forEach(looks, (id) => {
      const other = this.entries[id]!.name;
      if (confusableKey(other) === looks && collisionKey(other) !== key) add('confusable', id, 'reads the same (rn/m, vv/w, cl/d, nn/m)');
    });
    const { scope, base } = splitName(name);
    if (scope === null) {
      this.findTypos(base, add);
      this.findPermutations(base, add);
      this.findCombos(base, add);
    } else {
      this.findScopeSquat(scope, base, add);
    }
    return [...matches.values()].sort((a, b) => a.priority - b.priority);
  }

  private findTypos(base: string, add: (rule: NameRule, id: number, detail: string) => void): void {
    const maxDepth = this.options.minLengthDistance2 > 0 && base.length >= this.options.minLengthDistance2 - 2 && base.length <= 64 ? 2 : 1;
    const checked = new Set<number>();
    const visit = (hash: number): void => this.byDelete.forEachHash(hash, (id) => {
      if (checked.has(id)) return;
      checked.add(id);
      const other = this.entries[id]!.name.toLowerCase();
      const allowed = this.allowedDistance(other.length);
      const distance = boundedDistance(base, other, allowed);
      if (distance === 0 || distance > allowed) return;
      const kind = distance === 1 ? classifySingleEdit(base, other) : 'edit-distance';
      add(kind, id, `edit distance ${distance} from ${other}`);
    });
    if (maxDepth === 1) oneDeleteHashes(base, visit);
    else for (const variant of deletes(base, maxDepth)) visit(hash31(variant));
  }

  private findPermutations(base: string, add: (rule: NameRule, id: number, detail: string) => void): void {
    const tokens = tokenize(base);
    if (tokens.length < 2) return;
    const key = permutationKey(base);
    const joined = tokenJoin(tokens);
    this.byPermutation.forEach(key, (id) => {
      const other = this.entries[id]!.name;
      if (permutationKey(other) === key && tokenJoin(tokenize(other)) !== joined) add('permutation', id, 'the same words in another order');
    });
  }

  /** A protected name's words inside a longer name: `lodash-utils`, `node-lodash`, `bigops-eslint`. */
  private findCombos(base: string, add: (rule: NameRule, id: number, detail: string) => void): void {
    const tokens = tokenize(base);
    const n = tokens.length;
    if (n < 2) return;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j <= n; j++) {
        if (j - i === n) continue;
        const core = tokenJoin(tokens.slice(i, j));
        if (core.length < this.options.minLengthCombo) continue;
        const extra = [...tokens.slice(0, i), ...tokens.slice(j)];
        this.byCore.forEach(core, (id) => {
          const other = this.entries[id]!.name;
          if (tokenJoin(tokenize(other)) !== core) return;
          if (extra.every((t) => this.affixes.has(t))) add('combosquat-affix', id, `${other} plus the word(s) ${extra.join(', ')}`);
          // Any other word only in front (`bigops-eslint`): `eslint-plugin-x` is the ecosystem's
          // own naming convention, and measured 5x the false positives (docs/benchmarks.md).
          else if (j === n && id < this.options.combosquatTop) add('combosquat', id, `${other} behind the word(s) ${extra.join(', ')}`);
        });
      }
    }
  }

  /** `@opezneppelin/contracts`: a new scope one typo away from a protected scope. */
  private findScopeSquat(scope: string, base: string, add: (rule: NameRule, id: number, detail: string) => void): void {
    let isProtectedScope = false;
    this.byScope.forEach(scope, (i) => {
      if (this.scopeNames[i] === scope) isProtectedScope = true;
    });
    if (isProtectedScope) return;
    const checked = new Set<number>();
    for (const variant of deletes(scope, 1)) {
      this.byScopeDelete.forEach(variant, (i) => {
        if (checked.has(i)) return;
        checked.add(i);
        const other = this.scopeNames[i]!;
        if (boundedDistance(scope, other, 1) !== 1) return;
        const sameBase = this.exactId(`@${other}/${base}`);
        const id = sameBase !== -1 ? sameBase : this.scopeEntries[i]!;
        add('scope', id, `the scope @${scope} is one typo from @${other}`);
      });
    }
  }
}
