#!/usr/bin/env node
// Typosquat guard index performance (GEN-1b, issue 6). Run after `npm run build`:
//
//   node --max-old-space-size=8192 bench/names-index.mjs [--sizes 227000,3000000] [--queries 20000] [--seed 7]
//
// For each corpus size: every name is protected (the worst case; the default protects 10,000).
// The first 227k names are the real list in shared/fixtures/names/npm-names-by-downloads.tsv; larger
// sizes are filled with synthetic names made the way real ones are (two or three words of real
// names joined by "-", a scope, a number), all distinct. Measures the index build time, the memory
// it holds (heap + array buffers, and RSS growth), and the latency of one check (NameIndex.find plus
// the policy decision) over a mix of queries: real tail names, typos of protected names, affix
// combos, scoped names and random strings. Also times a linear scan (edit distance against every
// name) for comparison. Prints Markdown.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = process.env.BULWARK_FIXTURES ?? resolve(repoRoot, '../shared/fixtures');
const { NameIndex } = await import(join(repoRoot, 'packages/server/dist/src/domain/name-index.js'));
const { decideName } = await import(join(repoRoot, 'packages/server/dist/src/policy/name-policy.js'));
const { boundedDistance } = await import(join(repoRoot, 'packages/server/dist/src/domain/typo-kinds.js'));
const { loadConfig } = await import(join(repoRoot, 'packages/server/dist/src/config/load-config.js'));

const args = process.argv.slice(2);
const opt = (flag, fallback) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZES = opt('--sizes', '227000,3000000').split(',').map(Number);
const QUERIES = Number(opt('--queries', '20000'));
let seed = Number(opt('--seed', '7'));
const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(random() * list.length)];
const log = (msg) => console.error(`[names-bench] ${msg}`);
const settings = loadConfig({ env: {} }).names;

const real = readFileSync(join(fixtures, 'names/npm-names-by-downloads.tsv'), 'utf8').trim().split('\n').map((l) => {
  const [name, d] = l.split('\t');
  return { name, downloads: Number(d) };
});
const words = [...new Set(real.flatMap(({ name }) => name.replace(/^@[^/]+\//, '').split(/[-._]/)).filter((w) => /^[a-z][a-z0-9]{1,11}$/.test(w)))];
const scopes = [...new Set(real.filter((r) => r.name.startsWith('@')).map((r) => r.name.slice(1, r.name.indexOf('/'))))];

function synthesize(total) {
  const seen = new Set(real.map((r) => r.name));
  const out = real.slice(0, Math.min(total, real.length));
  let downloads = real.at(-1).downloads;
  while (out.length < total) {
    const n = 2 + Math.floor(random() * 2);
    let name = Array.from({ length: n }, () => pick(words)).join('-');
    const r = random();
    if (r < 0.3) name = `@${pick(scopes)}/${name}`;
    else if (r < 0.4) name = `${name}${Math.floor(random() * 100)}`;
    if (name.length > 214 || seen.has(name)) continue;
    seen.add(name);
    out.push({ name, downloads: Math.max(0, downloads--) });
  }
  return out;
}

const typo = (s) => {
  const i = Math.floor(random() * s.length);
  switch (Math.floor(random() * 4)) {
    case 0: return s.slice(0, i) + s.slice(i + 1);
    case 1: return s.slice(0, i + 1) + s[i] + s.slice(i + 1);
    case 2: return i + 1 < s.length ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s + 's';
    default: return s.slice(0, i) + 'x' + s.slice(i + 1);
  }
};

function queriesFor(corpus) {
  const qs = [];
  const tailStart = Math.min(10_000, corpus.length - 1);
  for (let i = 0; i < QUERIES; i++) {
    const r = random();
    const target = corpus[Math.floor(random() * corpus.length)].name;
    if (r < 0.3) qs.push(corpus[tailStart + Math.floor(random() * (corpus.length - tailStart))].name);
    else if (r < 0.6) qs.push(typo(target));
    else if (r < 0.75) qs.push(`${target.replace(/^@[^/]+\//, '')}-${pick(['js', 'utils', 'node', 'bigops'])}`);
    else if (r < 0.85) qs.push(`@${typo(pick(scopes))}/${pick(words)}`);
    else qs.push(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(words)).join('-') + Math.floor(random() * 1000));
  }
  return qs;
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

console.log(`\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; default settings (${JSON.stringify({ minLengthTypo: settings.minLengthTypo, minLengthDistance2: settings.minLengthDistance2, combosquatTop: settings.combosquatTop })}), every name protected.\n`);
console.log('| Protected names | Build (wall / CPU) | Index (typed arrays) | Heap + buffers held | RSS growth | Check p50 | Check p99 | Check p99 CPU | Check max | Linear scan, one check |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const size of SIZES) {
  const names = synthesize(size);
  const corpus = names.map((r, i) => ({ name: r.name, rank: i + 1, downloads: r.downloads, dependents: 0, source: 'import' }));
  const queries = queriesFor(corpus);
  globalThis.gc?.();
  const before = process.memoryUsage();
  log(`building the index over ${size} names`);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const index = new NameIndex(corpus, settings);
  const buildMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const buildCpuMs = (cpu.user + cpu.system) / 1000;
  globalThis.gc?.();
  const after = process.memoryUsage();
  const held = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  for (const q of queries.slice(0, 1000)) index.find(q); // warm-up
  const times = [];
  const cpuTimes = [];
  let flagged = 0;
  for (const q of queries) {
    // Wall time, and this thread's CPU time (immune to other processes on a shared machine).
    const c = process.cpuUsage();
    const t = performance.now();
    const d = decideName({ name: q, matches: index.find(q), maintainedByPublisher: new Set(), allowListed: false, denyListed: false, actions: settings.actions });
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpuTimes.push((used.user + used.system) / 1000);
    if (d.action !== 'allow') flagged++;
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  const scanQueries = queries.slice(0, 20);
  const scanStart = performance.now();
  for (const q of scanQueries) {
    let hits = 0;
    for (const c of corpus) if (boundedDistance(q, c.name, 1) <= 1) hits++;
    if (hits < 0) console.log(hits);
  }
  const scanMs = (performance.now() - scanStart) / scanQueries.length;
  console.log(`| ${size.toLocaleString('en-US')} | ${(buildMs / 1000).toFixed(1)} s / ${(buildCpuMs / 1000).toFixed(1)} s | ${mb(index.stats.indexBytes)} (${(index.stats.deleteVariants / 1e6).toFixed(1)} M variants) | ${mb(held)} | ${mb(after.rss - before.rss)} | ${percentile(times, 50).toFixed(3)} ms | ${percentile(times, 99).toFixed(3)} ms | ${percentile(cpuTimes, 99).toFixed(3)} ms | ${times.at(-1).toFixed(2)} ms | ${scanMs.toFixed(0)} ms |`);
  log(`${size}: ${flagged} of ${queries.length} queries flagged`);
}
