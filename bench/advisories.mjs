#!/usr/bin/env node
// Bulk audit benchmark (CLI-2a, issue 8). Run after `npm run build`:
//
//   node bench/advisories.mjs [--advisories 30000] [--tree 1000] [--requests 300] [--cold 30]
//
// 1. Builds an advisory database of --advisories OSV records: the 2,695 real ones of
//    shared/fixtures/advisories, plus copies of them under new ids and new package names (ranges,
//    severities and summaries kept), and imports it with `bulwark admin advisories import` (timed).
// 2. Starts `bulwark serve` on a free loopback port over that data directory.
// 3. Sends npm's request: POST /-/npm/v1/security/advisories/bulk with a gzipped body of --tree
//    packages (a third of them with advisories, one or two versions each, as `npm audit` sends for
//    a tree of that size); measures client-side latency over a keep-alive connection:
//      warm:  the same tree --requests times, after 20 warm-up requests (the server's per-package
//             index is in memory);
//      cold:  --cold different trees of --tree packages never asked before (every package looked up
//             in SQLite, then compiled);
//    and prints one Markdown table with p50 / p99 / max and the response size.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { bin, freePort, repoRoot, runAdmin, stopServer } from './lib/local-server.mjs';

const log = (msg) => console.error(`[advisories-bench] ${msg}`);
const argv = process.argv.slice(2);
function opt(name, fallback) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer`);
  return n;
}
const ADVISORIES = opt('--advisories', 30_000);
const TREE = opt('--tree', 1000);
const REQUESTS = opt('--requests', 300);
const COLD = opt('--cold', 30);
if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first.`);

// A fixed-seed PRNG (mulberry32) so every run builds the same database and trees.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];

// ---------- 1. the database ----------
const fixture = join(repoRoot, '../shared/fixtures/advisories/npm-advisories.jsonl');
const real = readFileSync(fixture, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const records = [...real];
for (let i = 0; records.length < ADVISORIES; i++) {
  const base = real[i % real.length];
  const copy = structuredClone(base);
  copy.id = `BENCH-${String(i).padStart(6, '0')}`;
  copy.aliases = [];
  // About three copies per generated package name, like real packages with several advisories.
  const suffix = `g${Math.floor(i / 3)}`;
  for (const affected of copy.affected) affected.package.name = `${affected.package.name.replace(/^@[^/]+\//, '')}-${suffix}`;
  records.push(copy);
}
const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-advisories-bench-'));
const file = join(dataDir, 'advisories.jsonl');
writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));
log(`importing ${records.length} advisories`);
let started = performance.now();
const imported = runAdmin(['advisories', 'import', file, '--data-dir', dataDir]);
const importMs = performance.now() - started;
log(imported.trim());
started = performance.now();
const reimported = runAdmin(['advisories', 'import', file, '--data-dir', dataDir]);
const reimportMs = performance.now() - started;
log(`re-import: ${reimported.trim()}`);

// Package names with advisories, and the versions their ranges name.
const affectedNames = new Map();
for (const record of records) {
  for (const affected of record.affected) {
    const versions = new Set(['1.0.0']);
    for (const range of affected.ranges ?? []) for (const event of range.events) for (const v of Object.values(event)) if (/^\d+\.\d+\.\d+$/.test(v)) versions.add(v);
    affectedNames.set(affected.package.name, [...versions]);
  }
}
const names = [...affectedNames.keys()];
let clean = 0;
function tree() {
  const body = {};
  while (Object.keys(body).length < TREE) {
    if (random() < 1 / 3) {
      const name = pick(names);
      const versions = affectedNames.get(name);
      body[name] = random() < 0.3 ? [pick(versions), pick(versions)] : [pick(versions)];
    } else {
      body[`bench-clean-${clean++}`] = [`${Math.floor(random() * 5)}.${Math.floor(random() * 10)}.${Math.floor(random() * 20)}`];
    }
  }
  return gzipSync(Buffer.from(JSON.stringify(body)));
}

// ---------- 2. the server ----------
const port = await freePort();
const logFile = join(dataDir, 'server.log');
const fd = openSync(logFile, 'a');
const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], {
  cwd: repoRoot, stdio: ['ignore', fd, fd], env: { ...process.env, BULWARK_LOG_LEVEL: 'warn' },
});
closeSync(fd);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function post(body) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path: '/-/npm/v1/security/advisories/bulk', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`));
        else resolve({ ms, bytes: Buffer.concat(chunks).length, packages: Object.keys(JSON.parse(Buffer.concat(chunks).toString())).length });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
for (let i = 0; ; i++) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/-/ping`);
    if (res.ok) break;
  } catch { /* not yet */ }
  if (i > 300 || child.exitCode !== null) throw new Error(`server did not start:\n${readFileSync(logFile, 'utf8')}`);
  await new Promise((r) => setTimeout(r, 200));
}

// ---------- 3. the requests ----------
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const summary = (samples) => {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { p50: pct(sorted, 50), p99: pct(sorted, 99), max: sorted.at(-1), bytes: samples[0].bytes, hits: samples[0].packages };
};
try {
  const coldSamples = [];
  for (let i = 0; i < COLD; i++) coldSamples.push(await post(tree()));
  const warmBody = tree();
  for (let i = 0; i < 20; i++) await post(warmBody);
  const warmSamples = [];
  for (let i = 0; i < REQUESTS; i++) warmSamples.push(await post(warmBody));
  const cold = summary(coldSamples);
  const warm = summary(warmSamples);
  const f = (n) => n.toFixed(1);
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${records.length} advisories, ${TREE}-package trees (gzipped body ${warmBody.length} B).`);
  console.log(`Import: ${(importMs / 1000).toFixed(1)} s (${Math.round(records.length / (importMs / 1000))} records/s); re-import (nothing changes): ${(reimportMs / 1000).toFixed(1)} s.`);
  console.log('');
  console.log('| bulk request | requests | p50 ms | p99 ms | max ms | packages answered | response bytes |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(`| cold (${TREE} packages never asked before) | ${COLD} | ${f(cold.p50)} | ${f(cold.p99)} | ${f(cold.max)} | ${cold.hits} | ${cold.bytes} |`);
  console.log(`| warm (same tree again) | ${REQUESTS} | ${f(warm.p50)} | ${f(warm.p99)} | ${f(warm.max)} | ${warm.hits} | ${warm.bytes} |`);
} finally {
  agent.destroy();
  await stopServer(child);
  if (!process.env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
}
