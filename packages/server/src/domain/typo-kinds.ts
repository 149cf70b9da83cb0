/** How one name differs from another by a single typing mistake (GEN-1b evidence). */
export type TypoKind = 'omitted' | 'repeated' | 'swapped' | 'keyboard' | 'visual' | 'edit-distance';

const QWERTY_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Keys next to each key on a staggered QWERTY keyboard: same row c±1, row above c and c+1, row below c-1 and c. */
const NEIGHBOURS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const result = new Map<string, Set<string>>();
  const keyAt = (r: number, c: number): string | undefined => QWERTY_ROWS[r]?.[c];
  QWERTY_ROWS.forEach((row, r) => [...row].forEach((key, c) => {
    const near = [keyAt(r, c - 1), keyAt(r, c + 1), keyAt(r - 1, c), keyAt(r - 1, c + 1), keyAt(r + 1, c - 1), keyAt(r + 1, c)];
    result.set(key, new Set(near.filter((k): k is string => k !== undefined)));
  }));
  return result;
})();

/** Single characters that read alike. */
const VISUAL_PAIRS = new Set(['1l', 'l1', '1i', 'i1', 'li', 'il', '0o', 'o0', 'uv', 'vu', 'mn', 'nm', '5s', 's5', 'qg', 'gq', '8b', 'b8', '9g', 'g9']);

export function keyboardAdjacent(a: string, b: string): boolean {
  return NEIGHBOURS.get(a)?.has(b) ?? false;
}

export function visuallyAlike(a: string, b: string): boolean {
  return VISUAL_PAIRS.has(a + b);
}

/**
 * Optimal-string-alignment distance (Damerau-Levenshtein without re-edits), or max + 1 once it
 * must exceed max. Candidates come from the index, so this runs on a handful of pairs per check.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}

/** Names the single edit that turns `protectedName` into `candidate` (their distance is 1). */
export function classifySingleEdit(candidate: string, protectedName: string): TypoKind {
  const c = candidate;
  const p = protectedName;
  let i = 0;
  while (i < c.length && i < p.length && c[i] === p[i]) i++;
  if (c.length === p.length - 1) return 'omitted';
  if (c.length === p.length + 1) {
    const extra = c[i]!;
    if (extra === c[i - 1] || extra === c[i + 1]) return 'repeated';
    const before = c[i - 1];
    const after = c[i + 1];
    if ((before !== undefined && keyboardAdjacent(extra, before)) || (after !== undefined && keyboardAdjacent(extra, after))) return 'keyboard';
    return 'edit-distance';
  }
  if (i + 1 < c.length && c[i] === p[i + 1] && c[i + 1] === p[i] && c.slice(i + 2) === p.slice(i + 2)) return 'swapped';
  if (keyboardAdjacent(c[i]!, p[i]!)) return 'keyboard';
  if (visuallyAlike(c[i]!, p[i]!)) return 'visual';
  return 'edit-distance';
}
