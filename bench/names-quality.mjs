#!/usr/bin/env node
// Typosquat guard quality (GEN-1b, issue 6). Run after `npm run build`:
//
//   node bench/names-quality.mjs [--top 10000] [--sample 3000] [--seed 7] [--sweep]
//
// Corpus: shared/fixtures/names/npm-names-by-downloads.tsv (real npm names, most downloaded first).
//   - protected: the top --top names;
//   - false positives: every name ranked below the cut (the "tail"), checked against the protected
//     set; a tail name is legitimate until shown otherwise, so this is an upper bound on the FP rate
//     (the tail holds some real squats);
//   - detection: squats generated from --sample protected names with the edits attackers use
//     (omitted, repeated, swapped, keyboard-neighbour and look-alike characters, separator
//     changes, word permutations, affix words, typo'd scopes), minus any that are real npm names;
//   - real malware: the names in shared/fixtures/malicious/malware-iocs-leitwacht.tsv.
// Prints Markdown tables: per rule and per name length, for the default settings and (--sweep)
// for alternative settings, so the defaults in config/schema.ts can be justified.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = process.env.BULWARK_FIXTURES ?? resolve(repoRoot, '../shared/fixtures');
const { NameIndex } = await import(join(repoRoot, 'packages/server/dist/src/domain/name-index.js'));
const { decideName } = await import(join(repoRoot, 'packages/server/dist/src/policy/name-policy.js'));
const { DEFAULT_SQUAT_AFFIXES } = await import(join(repoRoot, 'packages/server/dist/src/config/schema.js'));
const { loadConfig } = await import(join(repoRoot, 'packages/server/dist/src/config/load-config.js'));

const args = process.argv.slice(2);
const opt = (flag, fallback) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : fallback;
};
const TOP = Number(opt('--top', '10000'));
const SAMPLE = Number(opt('--sample', '3000'));
let seed = Number(opt('--seed', '7'));
const SWEEP = args.includes('--sweep');
const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(random() * list.length)];

const rows = readFileSync(join(fixtures, 'names/npm-names-by-downloads.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
const allNames = new Set(rows.map(([n]) => n.toLowerCase()));
const malware = [...new Set(readFileSync(join(fixtures, 'malicious/malware-iocs-leitwacht.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[2]))];
const defaults = loadConfig({ env: {} }).names;

function corpusOf(top) {
  return rows.slice(0, top).map(([name, d], i) => ({ name, rank: i + 1, downloads: Number(d), dependents: 0, source: 'import' }));
}

const lengthBucket = (name) => {
  const base = name.includes('/') ? name.slice(name.indexOf('/') + 1) : name;
  const n = base.length;
  return n <= 4 ? '1-4' : n <= 6 ? '5-6' : n <= 9 ? '7-9' : n <= 14 ? '10-14' : '15+';
};
const BUCKETS = ['1-4', '5-6', '7-9', '10-14', '15+'];

// ---- squat generators (what attackers do; see anchors.md 3.1 and the malware fixture) ----
const KEYS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const near = (ch) => {
  for (let r = 0; r < KEYS.length; r++) {
    const c = KEYS[r].indexOf(ch);
    if (c >= 0) return [KEYS[r][c - 1], KEYS[r][c + 1], KEYS[r - 1]?.[c], KEYS[r + 1]?.[c]].filter(Boolean);
  }
  return [];
};
const letterAt = (s) => {
  const spots = [...s].map((ch, i) => (/[a-z0-9]/.test(ch) ? i : -1)).filter((i) => i >= 0);
  return spots.length ? pick(spots) : -1;
};
const ATTACKER_AFFIXES = ['js', 'utils', 'node', 'lib', 'dev', 'sdk', 'api', 'cli', 'core', 'helper', 'official', 'secure', 'fix', 'pro', 'v2', 'tools', 'pkg', 'npm'];
const UNLISTED_AFFIXES = ['bigops', 'acme', 'internal', 'corp', 'company', 'team', 'build', 'wrapper', 'ts', 'plus2', 'next', 'extended'];
const generators = {
  omitted: (b) => { const i = letterAt(b); return i < 0 ? null : b.slice(0, i) + b.slice(i + 1); },
  repeated: (b) => { const i = letterAt(b); return i < 0 ? null : b.slice(0, i + 1) + b[i] + b.slice(i + 1); },
  swapped: (b) => { if (b.length < 3) return null; const i = Math.floor(random() * (b.length - 1)); return b[i] === b[i + 1] ? null : b.slice(0, i) + b[i + 1] + b[i] + b.slice(i + 2); },
  keyboard: (b) => { const i = letterAt(b); if (i < 0) return null; const n = near(b[i]); return n.length ? b.slice(0, i) + pick(n) + b.slice(i + 1) : null; },
  visual: (b) => { const pairs = [['l', '1'], ['i', '1'], ['o', '0'], ['m', 'rn'], ['w', 'vv'], ['d', 'cl']]; const ok = pairs.filter(([a]) => b.includes(a)); if (!ok.length) return null; const [a, z] = pick(ok); return b.replace(a, z); },
  separator: (b) => (/[-._]/.test(b) ? b.replace(/[-._]/, pick(['', '_', '.'])) : null),
  permutation: (b) => { const t = b.split(/[-._]/); if (t.length < 2) return null; const s = [...t.slice(1), t[0]]; return s.join('-'); },
  'affix (listed)': (b) => (random() < 0.5 ? `${b}-${pick(ATTACKER_AFFIXES)}` : `${pick(ATTACKER_AFFIXES)}-${b}`),
  'affix (unlisted)': (b) => (random() < 0.5 ? `${b}-${pick(UNLISTED_AFFIXES)}` : `${pick(UNLISTED_AFFIXES)}-${b}`),
  scope: null, // generated from scoped names below
};

function squatsFor(corpus) {
  const unscoped = corpus.filter((c) => !c.name.startsWith('@'));
  const scoped = corpus.filter((c) => c.name.startsWith('@'));
  const out = [];
  for (let k = 0; k < SAMPLE; k++) {
    const target = pick(unscoped).name.toLowerCase();
    for (const [kind, gen] of Object.entries(generators)) {
      if (!gen) continue;
      const squat = gen(target);
      if (squat && squat !== target && !allNames.has(squat) && /^[a-z0-9][a-z0-9._-]*$/.test(squat)) out.push({ kind, squat, target });
    }
    const s = pick(scoped).name.toLowerCase();
    const [scope, base] = s.slice(1).split('/');
    const typo = pick([generators.omitted, generators.repeated, generators.swapped, generators.keyboard])(scope);
    if (typo && typo !== scope && !allNames.has(`@${typo}/${base}`) && /^[a-z0-9][a-z0-9._-]*$/.test(typo)) out.push({ kind: 'scope', squat: `@${typo}/${base}`, target: s });
  }
  return out;
}

const actionOf = (settings, name, index) => decideName({
  name, matches: index.find(name), maintainedByPublisher: new Set(), allowListed: false, denyListed: false, actions: settings.actions,
});

function evaluate(label, settings, top) {
  const corpus = corpusOf(top);
  const index = new NameIndex(corpus, settings);
  const tail = rows.slice(top).map(([n]) => n.toLowerCase());
  // False positives on the tail, by the deciding rule and by action.
  const fp = { block: 0, review: 0 };
  const byRule = new Map();
  const byLength = new Map(BUCKETS.map((b) => [b, { n: 0, block: 0, review: 0 }]));
  const examples = new Map();
  const ruleHits = new Map();
  const scopesFlagged = new Set();
  const tailScopes = new Set(tail.filter((n) => n.startsWith('@')).map((n) => n.slice(0, n.indexOf('/'))));
  for (const name of tail) {
    const matches = index.find(name);
    for (const rule of new Set(matches.map((m) => m.rule))) ruleHits.set(rule, (ruleHits.get(rule) ?? 0) + 1);
    const d = decideName({ name, matches, maintainedByPublisher: new Set(), allowListed: false, denyListed: false, actions: settings.actions });
    const len = byLength.get(lengthBucket(name));
    len.n++;
    if (d.action === 'allow') continue;
    fp[d.action]++;
    len[d.action]++;
    byRule.set(d.rule, (byRule.get(d.rule) ?? 0) + 1);
    if (d.rule === 'scope') scopesFlagged.add(name.slice(0, name.indexOf('/')));
    const ex = examples.get(d.rule) ?? [];
    if (ex.length < 4) ex.push(`${name}→${d.similarTo?.name}`);
    examples.set(d.rule, ex);
  }
  // Detection on generated squats.
  const squats = squatsFor(corpus);
  const det = new Map();
  const detLen = new Map(BUCKETS.map((b) => [b, { n: 0, hit: 0 }]));
  for (const { kind, squat, target } of squats) {
    const d = actionOf(settings, squat, index);
    const hit = d.action !== 'allow';
    const row = det.get(kind) ?? { n: 0, block: 0, review: 0 };
    row.n++;
    if (hit) row[d.action]++;
    det.set(kind, row);
    const l = detLen.get(lengthBucket(target));
    l.n++;
    if (hit) l.hit++;
  }
  const mal = { n: malware.length, block: 0, review: 0, rules: new Map(), examples: [] };
  for (const name of malware) {
    const d = actionOf(settings, name, index);
    if (d.action === 'allow') continue;
    mal[d.action]++;
    mal.rules.set(d.rule, (mal.rules.get(d.rule) ?? 0) + 1);
    if (mal.examples.length < 8) mal.examples.push(`${name}→${d.similarTo?.name}`);
  }
  return { label, top, tail: tail.length, scopes: { flagged: scopesFlagged.size, total: tailScopes.size }, fp, byRule, byLength, examples, ruleHits, det, detLen, squats: squats.length, mal, stats: index.stats };
}

const pct = (a, n) => (n === 0 ? '–' : `${((100 * a) / n).toFixed(2)} %`);

function report(r, full) {
  console.log(`\n#### ${r.label}: protected top ${r.top.toLocaleString('en-US')}, tail ${r.tail.toLocaleString('en-US')} names\n`);
  console.log(`Index: ${r.stats.names} names, ${r.stats.deleteVariants} delete variants, ${(r.stats.indexBytes / 1e6).toFixed(1)} MB, built in ${r.stats.buildMs} ms.\n`);
  console.log(`False positives on the tail: **block ${pct(r.fp.block, r.tail)}** (${r.fp.block}), **review ${pct(r.fp.review, r.tail)}** (${r.fp.review}).`);
  const detTotal = [...r.det.values()].reduce((a, v) => ({ n: a.n + v.n, hit: a.hit + v.block + v.review }), { n: 0, hit: 0 });
  console.log(`Detection on ${r.squats} generated squats: **${pct(detTotal.hit, detTotal.n)}**. Real malware names flagged: ${pct(r.mal.block + r.mal.review, r.mal.n)} of ${r.mal.n} (block ${r.mal.block}, review ${r.mal.review}).\n`);
  if (!full) return;
  console.log('| Rule (deciding) | Tail names refused | FP rate | Tail names matching the rule at all | Examples |');
  console.log('|---|---|---|---|---|');
  const rules = new Set([...r.byRule.keys(), ...r.ruleHits.keys()]);
  for (const rule of rules) {
    console.log(`| ${rule} | ${r.byRule.get(rule) ?? 0} | ${pct(r.byRule.get(rule) ?? 0, r.tail)} | ${r.ruleHits.get(rule) ?? 0} (${pct(r.ruleHits.get(rule) ?? 0, r.tail)}) | ${(r.examples.get(rule) ?? []).join(', ')} |`);
  }
  console.log(`\nThe scope rule refused names in ${r.scopes.flagged} of the ${r.scopes.total} distinct scopes of the tail (${pct(r.scopes.flagged, r.scopes.total)}); once a scope is claimed in the registry its later packages are not checked again.`);
  console.log('\n| Name length | Tail names | FP block | FP review |');
  console.log('|---|---|---|---|');
  for (const [b, v] of r.byLength) console.log(`| ${b} | ${v.n} | ${pct(v.block, v.n)} | ${pct(v.review, v.n)} |`);
  console.log('\n| Attack (generated) | Squats | Detected | Blocked | Held for review |');
  console.log('|---|---|---|---|---|');
  for (const [k, v] of r.det) console.log(`| ${k} | ${v.n} | ${pct(v.block + v.review, v.n)} | ${pct(v.block, v.n)} | ${pct(v.review, v.n)} |`);
  console.log('\n| Target length | Squats | Detected |');
  console.log('|---|---|---|');
  for (const [b, v] of r.detLen) console.log(`| ${b} | ${v.n} | ${pct(v.hit, v.n)} |`);
  console.log(`\nReal malware names by deciding rule: ${[...r.mal.rules].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; e.g. ${r.mal.examples.join(', ')}.`);
}

const base = { ...defaults, affixes: defaults.affixes ?? DEFAULT_SQUAT_AFFIXES };
report(evaluate('Defaults', base, TOP), true);
if (SWEEP) {
  const variants = [
    ['minLengthTypo 4', { ...base, minLengthTypo: 4 }, TOP],
    ['minLengthTypo 6', { ...base, minLengthTypo: 6 }, TOP],
    ['edit distance 2 from length 10', { ...base, minLengthDistance2: 10 }, TOP],
    ['edit distance 2 from length 14', { ...base, minLengthDistance2: 14 }, TOP],
    ['combosquat any word: off (affix words only)', { ...base, combosquatTop: 0 }, TOP],
    ['combosquat any word in front, top 100', { ...base, combosquatTop: 100 }, TOP],
    ['combosquat any word in front, top 3,000', { ...base, combosquatTop: 3000 }, TOP],
    ['combosquat-affix blocks', { ...base, actions: { ...base.actions, 'combosquat-affix': 'block' } }, TOP],
    ['protected top 1,000', base, 1000],
    ['protected top 50,000', base, 50_000],
  ];
  for (const [label, settings, top] of variants) report(evaluate(label, settings, top), false);
}
