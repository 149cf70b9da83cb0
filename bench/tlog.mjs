#!/usr/bin/env node
// Transparency-log benchmark (GEN-3b, issue 7). Run after `npm run build`:
//
//   node bench/tlog.mjs [--entries 1000000] [--publishes 300] [--duration 5] [--skip-http] [--skip-store]
//
// Prints one Markdown table (progress goes to stderr):
//   a. append rate: a fresh `bulwark serve` (temporary data dir, user and token made with the admin
//      commands, as bench/run.mjs does); --publishes new versions published over HTTP (npm's PUT
//      body) by 1, 4 and 16 concurrent clients, each client publishing its own package; publishes/s,
//      p50/p99 latency; then the signed checkpoint is fetched, verified with /-/tlog/key, and its
//      size compared with the number of entries in the changes feed and with the publishes made;
//   b. proofs at --entries entries, without HTTP: leaf hashes of generated version-published
//      entries, the subtree hashes from the library's appendLeaves into memory and into a SQLite
//      file with the server's tlog_hashes schema (better-sqlite3); build time, then inclusion and
//      consistency proof generation (1000 random proofs, hashes read from SQLite with a prepared
//      statement), verification time, and proof sizes;
//   c. tile serving cost, against the server from (a): req/s and server CPU ms per request
//      (utime + stime from /proc/<pid>/stat) for the checkpoint, a full and a partial hash tile and
//      a full entry bundle and the proof endpoints, with autocannon 9.0.0 (the shared harness's copy under
//      $BENCH_WORKDIR/tools, else installed once into a temporary directory with npm).
import { freePort, runAdmin, stopServer } from './lib/local-server.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { randomBytes, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repoRoot, 'packages/cli/dist/src/bin.js');
const tlogLib = join(repoRoot, 'packages/server/dist/src/domain/tlog/index.js');
const eventLib = join(repoRoot, 'packages/server/dist/src/domain/registry-event.js');
const testkit = join(repoRoot, 'packages/testkit/dist/src/index.js');
const workDir = process.env.BENCH_WORKDIR ?? '/tmp/registry-bench';

const log = (msg) => console.error(`[tlog-bench] ${msg}`);
const fail = (msg) => {
  log(`error: ${msg}`);
  process.exit(1);
};

// ---------- options ----------
const argv = process.argv.slice(2);
if (argv.includes('-h') || argv.includes('--help')) {
  console.log(`usage: node bench/tlog.mjs [--entries N] [--publishes N] [--duration S] [--proofs N] [--skip-http] [--skip-store]

  --entries N     entries in the generated store for the proof figures (default 1000000)
  --publishes N   publishes per concurrency level, over HTTP (default 300)
  --duration S    seconds of load per tile/checkpoint endpoint, after 1 s of warm-up (default 5)
  --proofs N      random proofs of each kind to time (default 1000)
  --skip-http     only the generated store (part b)
  --skip-store    only the HTTP parts (a and c)
Run \`npm run build\` first.`);
  process.exit(0);
}
function opt(name, fallback) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isSafeInteger(n) || n <= 0) fail(`${name} needs a positive integer`);
  return n;
}
const ENTRIES = opt('--entries', 1_000_000);
const PUBLISHES = opt('--publishes', 300);
const DURATION = opt('--duration', 5);
const PROOFS = opt('--proofs', 1000);
const SKIP_HTTP = argv.includes('--skip-http');
const SKIP_STORE = argv.includes('--skip-store');

for (const f of [bin, tlogLib, eventLib, testkit]) if (!existsSync(f)) fail(`${f} is missing: run \`npm run build\` first.`);
const tlog = await import(pathToFileURL(tlogLib).href);
const { entryBytes } = await import(pathToFileURL(eventLib).href);

// ---------- helpers ----------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length, max: s[s.length - 1], n: s.length };
}
const ms = (x, digits = 2) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits));
const us = (msValue) => `${(msValue * 1000).toFixed(msValue * 1000 >= 100 ? 0 : 1)} µs`;
const rows = []; // [section, figure, value]
const row = (section, figure, value) => rows.push([section, figure, value]);

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
/** utime + stime of a process, in ms, from /proc/<pid>/stat (fields 14 and 15). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

// ---------- (a) + (c): a real server ----------
function admin(dataDir, args, input) {
  try {
    return runAdmin([...args, '--data-dir', dataDir], input);
  } catch (err) {
    return fail(err.message);
  }
}

async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-tlog-bench-'));
  const logFile = join(dataDir, 'server.log');
  // Writes need a second factor (mfa.required all-writes): a TOTP user with an automation token.
  admin(dataDir, ['user', 'add', 'bench', '--email', 'bench@example.com', '--password-stdin', '--totp'], `${randomBytes(18).toString('base64url')}\n`);
  const token = admin(dataDir, ['token', 'create', 'bench', '--bypass-2fa']).match(/bwk_[A-Za-z0-9_]+/)?.[0];
  if (!token) fail('no bwk_ token in the output of `bulwark admin token create`');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], {
    cwd: repoRoot, stdio: ['ignore', fd, fd], env: { ...process.env, BULWARK_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' },
  });
  closeSync(fd);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) fail(`bulwark serve exited early; its log:\n${readFileSync(logFile, 'utf8')}`);
    try {
      const res = await fetch(new URL('-/ping', url), { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      fail(`bulwark serve did not answer /-/ping within 60 s; its log:\n${readFileSync(logFile, 'utf8')}`);
    }
    await sleep(200);
  }
  const stop = () => stopServer(child);
  return { url, token, pid: child.pid, dataDir, stop };
}

async function appendRate(server) {
  const { publishBody } = await import(pathToFileURL(testkit).href);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, 'npm-command': 'publish' };
  let published = 0;
  for (const clients of [1, 4, 16]) {
    // Bodies are built (tarball, gzip, base64) before the clock starts: only the registry is timed.
    const perClient = Math.ceil(PUBLISHES / clients);
    const jobs = [];
    for (let c = 0; c < clients; c++) {
      const name = `tlog-bench-c${clients}-${c}`;
      const list = [];
      for (let v = 0; v < perClient && c * perClient + v < PUBLISHES; v++) {
        list.push({ name, body: JSON.stringify(publishBody({ name, version: `1.0.${v}`, registryUrl: server.url }).body) });
      }
      jobs.push(list);
    }
    const latencies = [];
    let errors = 0;
    const started = performance.now();
    await Promise.all(jobs.map(async (list) => {
      for (const { name, body } of list) {
        const t0 = performance.now();
        const res = await fetch(new URL(name, server.url), { method: 'PUT', headers, body });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 201 && res.status !== 200) {
          errors++;
          if (errors === 1) log(`publish ${name} answered ${res.status}`);
        }
      }
    }));
    const elapsed = (performance.now() - started) / 1000;
    const s = stats(latencies);
    published += latencies.length - errors;
    log(`${clients} client(s): ${latencies.length} publishes in ${elapsed.toFixed(2)} s, p50 ${ms(s.p50)} ms, ${errors} errors`);
    row('a. append (HTTP publish)', `${clients} client${clients > 1 ? 's' : ''}: publishes/s (n, errors)`, `${(latencies.length / elapsed).toFixed(0)} (${latencies.length}, ${errors})`);
    row('a. append (HTTP publish)', `${clients} client${clients > 1 ? 's' : ''}: latency p50 / p99`, `${ms(s.p50)} / ${ms(s.p99)} ms`);
  }

  // The signed checkpoint against the feed and against what was published.
  const vkey = (await (await fetch(new URL('-/tlog/key', server.url))).text()).trim();
  const verifier = tlog.parseVerifierKey(vkey);
  const note = await (await fetch(new URL('-/tlog/checkpoint', server.url))).text();
  const { checkpoint } = tlog.openCheckpoint(note, verifier, { origin: verifier.name });
  let since = 0;
  const byType = {};
  const leafHashes = [];
  for (;;) {
    const page = await (await fetch(new URL(`-/tlog/entries?since=${since}&limit=1000`, server.url))).json();
    for (const e of page.entries) {
      const { index, time, ...event } = e;
      if (index !== leafHashes.length) fail(`feed gap: expected entry ${leafHashes.length}, got ${index}`);
      byType[e.type] = (byType[e.type] ?? 0) + 1;
      leafHashes.push(tlog.hashLeaf(entryBytes({ index, time, event })));
    }
    if (page.entries.length === 0 || page.next >= page.size) break;
    since = page.next;
  }
  const root = tlog.rootFromLeafHashes(leafHashes);
  const sizeOk = checkpoint.size === leafHashes.length && byType['version-published'] === published;
  const rootOk = tlog.bytesEqual(root, checkpoint.rootHash);
  row('a. append (HTTP publish)', 'checkpoint size vs feed entries vs publishes',
    `${checkpoint.size} / ${leafHashes.length} (${Object.entries(byType).map(([t, n]) => `${n} ${t}`).join(', ')}) / ${published} publishes: ${sizeOk ? 'agree' : '**MISMATCH**'}`);
  row('a. append (HTTP publish)', 'checkpoint signature; root recomputed from the feed', `${verifier.name}: valid; root ${rootOk ? 'equal' : '**DIFFERENT**'}`);
  if (!sizeOk || !rootOk) log('the checkpoint does not match the feed');
  return checkpoint.size;
}

async function loadAutocannon() {
  const candidates = [join(workDir, 'tools/node_modules/autocannon')];
  for (const dir of candidates) if (existsSync(join(dir, 'package.json'))) return { autocannon: createRequire(join(dir, 'package.json'))(dir), where: dir };
  const tmp = mkdtempSync(join(tmpdir(), 'tlog-bench-autocannon-'));
  log(`autocannon not found under ${workDir}/tools; installing autocannon@9.0.0 into ${tmp}`);
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', tmp, 'autocannon@9.0.0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) fail(`npm install autocannon@9.0.0 failed:\n${r.stderr}`);
  const dir = join(tmp, 'node_modules/autocannon');
  return { autocannon: createRequire(join(dir, 'package.json'))(dir), where: dir, cleanup: tmp };
}

async function tileCost(server, size) {
  const { autocannon, where, cleanup } = await loadAutocannon();
  const full0 = Math.floor(size / 256);
  const endpoints = [
    ['checkpoint', '-/tlog/checkpoint'],
    ['hash tile, full (level 0, 8 KiB)', `-/tlog/${tlog.formatTilePath({ level: 0, index: 0, width: 256 })}`],
  ];
  if (size % 256 > 0) endpoints.push([`hash tile, partial (level 0, ${size % 256} hashes)`, `-/tlog/${tlog.formatTilePath({ level: 0, index: full0, width: size % 256 })}`]);
  if (full0 > 0) endpoints.push([`hash tile, partial (level 1, ${full0} hashes)`, `-/tlog/${tlog.formatTilePath({ level: 1, index: 0, width: full0 })}`]);
  endpoints.push(['entry bundle, full (256 entries)', `-/tlog/${tlog.formatEntriesPath(0)}`]);
  endpoints.push([`inclusion proof (entry 17, size ${size})`, `-/tlog/proof/inclusion?index=17&size=${size}`]);
  endpoints.push([`inclusion proof by name@version (size ${size})`, `-/tlog/proof/inclusion?name=tlog-bench-c1-0&version=1.0.17&size=${size}`]);
  endpoints.push([`consistency proof (${Math.floor(size / 2) + 1} -> ${size})`, `-/tlog/proof/consistency?old=${Math.floor(size / 2) + 1}&new=${size}`]);
  const run = (url, duration) => new Promise((ok, ko) => autocannon({ url, connections: 16, duration }, (err, res) => (err ? ko(err) : ok(res))));
  for (const [label, path] of endpoints) {
    const url = new URL(path, server.url).href;
    const probe = await fetch(url);
    const bytes = (await probe.arrayBuffer()).byteLength;
    if (probe.status !== 200) {
      row('c. serving (16 connections)', label, `HTTP ${probe.status}`);
      continue;
    }
    await run(url, 1);
    const cpu0 = cpuMs(server.pid);
    const res = await run(url, DURATION);
    const cpu = cpuMs(server.pid) - cpu0;
    const requests = res.requests.total;
    const non2xx = res.non2xx + res.errors;
    log(`${label}: ${res.requests.average} req/s, ${(cpu / requests).toFixed(4)} CPU ms/req`);
    row('c. serving (16 connections)', `${label}: req/s; server CPU ms/req`,
      `${Math.round(requests / DURATION)}; **${(cpu / requests).toFixed(4)}** (${bytes} B, p99 ${res.latency.p99} ms${non2xx ? `, ${non2xx} errors` : ''})`);
  }
  row('c. serving (16 connections)', 'load generator', `autocannon ${createRequire(join(where, 'package.json'))('./package.json').version}, 16 connections x ${DURATION} s after 1 s warm-up`);
  if (cleanup) rmSync(cleanup, { recursive: true, force: true });
}

// ---------- (b): a generated store of ENTRIES entries ----------
async function generatedStore() {
  const { default: Database } = await import(pathToFileURL(createRequire(join(repoRoot, 'package.json')).resolve('better-sqlite3')).href);
  const n = ENTRIES;
  const section = `b. proofs at ${n.toLocaleString('en-US')} entries`;
  const time = '2026-11-26T00:00:00.000Z';
  const integrity = `sha512-${randomBytes(64).toString('base64')}`;

  // Leaf hashes of real entry bytes (RFC 8785 JSON of generated version-published events).
  let t0 = performance.now();
  const leaves = new Array(n);
  let entryBytesTotal = 0;
  for (let i = 0; i < n; i++) {
    const bytes = entryBytes({ index: i, time, event: { type: 'version-published', name: `pkg-${i % 50_000}`, version: `1.${Math.floor(i / 50_000)}.0`, integrity, actor: 'bench', actorKind: 'user', provenance: null } });
    entryBytesTotal += bytes.length;
    leaves[i] = tlog.hashLeaf(bytes);
  }
  const leafMs = performance.now() - t0;
  log(`${n} leaf hashes in ${(leafMs / 1000).toFixed(1)} s`);

  // Subtree hashes with appendLeaves, batch by batch, into per-level buffers (the in-memory store).
  const levels = [];
  const put = (level, index, hash) => {
    if (!levels[level]) levels[level] = Buffer.alloc(Math.floor(n / 2 ** level) * 32);
    levels[level].set(hash, index * 32);
  };
  const memRead = (level, index) => {
    const buf = levels[level];
    if (!buf || (index + 1) * 32 > buf.length) throw new Error(`no hash ${level}/${index}`);
    return buf.subarray(index * 32, index * 32 + 32);
  };
  t0 = performance.now();
  let stored = 0;
  const BATCH = 4096;
  for (let start = 0; start < n; start += BATCH) {
    for (const h of tlog.appendLeaves(start, leaves.slice(start, Math.min(n, start + BATCH)), memRead)) {
      put(h.level, h.index, h.hash);
      stored++;
    }
  }
  const treeMs = performance.now() - t0;
  leaves.length = 0;
  log(`${stored} subtree hashes in ${(treeMs / 1000).toFixed(1)} s`);

  // The same hashes into SQLite, schema as migration 0002 (hash as hex text).
  const dir = mkdtempSync(join(tmpdir(), 'tlog-bench-store-'));
  const file = join(dir, 'tlog.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('create table "tlog_hashes" ("level" integer not null, "idx" integer not null, "hash" text not null, constraint "tlog_hashes_pk" primary key ("level", "idx"))');
  t0 = performance.now();
  const insert = db.prepare('insert into tlog_hashes (level, idx, hash) values (?, ?, ?)');
  const insertAll = db.transaction(() => {
    for (let level = 0; level < levels.length; level++) {
      const count = levels[level].length / 32;
      for (let i = 0; i < count; i++) insert.run(level, i, levels[level].toString('hex', i * 32, i * 32 + 32));
    }
  });
  insertAll();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const sqliteMs = performance.now() - t0;
  const sqliteBytes = statSync(file).size;
  log(`SQLite store written in ${(sqliteMs / 1000).toFixed(1)} s (${(sqliteBytes / 2 ** 20).toFixed(0)} MiB)`);

  const select = db.prepare('select hash from tlog_hashes where level = ? and idx = ?').pluck();
  let reads = 0;
  const sqlRead = (level, index) => {
    reads++;
    const hex = select.get(level, index);
    if (hex === undefined) throw new Error(`no hash ${level}/${index}`);
    return Buffer.from(hex, 'hex');
  };

  row(section, 'entries; mean leaf (entry) size', `${n.toLocaleString('en-US')}; ${(entryBytesTotal / n).toFixed(0)} B (RFC 8785 JSON of a version-published event)`);
  row(section, 'build: leaf hashes (canonical JSON + SHA-256)', `${(leafMs / 1000).toFixed(2)} s (${us(leafMs / n)}/entry)`);
  row(section, 'build: subtree hashes with appendLeaves (in memory)', `${(treeMs / 1000).toFixed(2)} s (${stored.toLocaleString('en-US')} hashes, ${us(treeMs / n)}/entry)`);
  row(section, 'build: the same rows into SQLite (tlog_hashes schema, one transaction)', `${(sqliteMs / 1000).toFixed(2)} s, file ${(sqliteBytes / 2 ** 20).toFixed(0)} MiB`);

  const rootMem = tlog.treeHash(n, memRead);
  const rootSql = tlog.treeHash(n, sqlRead);
  if (!tlog.bytesEqual(rootMem, rootSql)) fail('SQLite and memory roots differ');
  const leafOf = (i) => memRead(0, i);

  // Inclusion proofs in the tree of n, random leaves.
  const genSql = [];
  const genMem = [];
  const genServer = [];
  const verify = [];
  const sizes = [];
  const readsPer = [];
  const findServerStyle = serverStyleReader(db);
  for (let k = 0; k < PROOFS; k++) {
    const index = randomInt(n);
    let t = performance.now();
    reads = 0;
    const proof = tlog.inclusionProof(n, index, sqlRead);
    genSql.push(performance.now() - t);
    readsPer.push(reads);
    t = performance.now();
    tlog.inclusionProof(n, index, memRead);
    genMem.push(performance.now() - t);
    t = performance.now();
    tlog.inclusionProof(n, index, findServerStyle((read) => tlog.inclusionProof(n, index, read)));
    genServer.push(performance.now() - t);
    t = performance.now();
    const ok = tlog.verifyInclusion(leafOf(index), index, n, proof, rootSql);
    verify.push(performance.now() - t);
    if (!ok) fail(`inclusion proof for ${index} does not verify`);
    sizes.push(proof.length);
  }
  const incl = { sql: stats(genSql), mem: stats(genMem), server: stats(genServer), verify: stats(verify), hashes: stats(sizes), reads: stats(readsPer) };

  // Consistency proofs from a random older size to n.
  const cGenSql = [];
  const cGenServer = [];
  const cVerify = [];
  const cSizes = [];
  for (let k = 0; k < PROOFS; k++) {
    const old = 1 + randomInt(n - 1);
    const oldRoot = tlog.treeHash(old, memRead);
    let t = performance.now();
    const proof = tlog.consistencyProof(old, n, sqlRead);
    cGenSql.push(performance.now() - t);
    t = performance.now();
    tlog.consistencyProof(old, n, findServerStyle((read) => tlog.consistencyProof(old, n, read)));
    cGenServer.push(performance.now() - t);
    t = performance.now();
    const ok = tlog.verifyConsistency(old, n, proof, oldRoot, rootSql);
    cVerify.push(performance.now() - t);
    if (!ok) fail(`consistency proof ${old} -> ${n} does not verify`);
    cSizes.push(proof.length);
  }
  const cons = { sql: stats(cGenSql), server: stats(cGenServer), verify: stats(cVerify), hashes: stats(cSizes) };

  // A signed checkpoint of the tree: sign and open (verify) times.
  const key = tlog.generateNoteKey('bench.example/tlog');
  const signer = tlog.parseSignerKey(key.signerKey);
  const verifier = tlog.parseVerifierKey(key.verifierKey);
  const signT = [];
  const openT = [];
  let note = '';
  for (let k = 0; k < 200; k++) {
    let t = performance.now();
    note = tlog.signCheckpoint({ origin: signer.name, size: n, rootHash: rootSql, extensions: [] }, signer);
    signT.push(performance.now() - t);
    t = performance.now();
    tlog.openCheckpoint(note, verifier, { origin: signer.name });
    openT.push(performance.now() - t);
  }
  const jsonBytes = (count) => JSON.stringify({ index: n - 1, size: n, proof: new Array(count).fill(tlog.encodeBase64(rootSql)) }).length;

  const p = (s) => `${us(s.p50)} / ${us(s.p99)}`;
  row(section, `inclusion proof: hashes (mean, max); bytes raw; JSON answer`, `${incl.hashes.mean.toFixed(1)}, ${incl.hashes.max}; ${Math.round(incl.hashes.mean * 32)} B (max ${incl.hashes.max * 32}); ~${jsonBytes(Math.round(incl.hashes.mean))} B`);
  row(section, `inclusion proof generation p50 / p99, SQLite prepared statement (${incl.reads.mean.toFixed(1)} reads)`, `**${p(incl.sql)}**`);
  row(section, 'inclusion proof generation p50 / p99, as the server does it (dry run, one OR query, compute)', p(incl.server));
  row(section, 'inclusion proof generation p50 / p99, hashes in memory', p(incl.mem));
  row(section, 'inclusion proof verification p50 / p99', `**${p(incl.verify)}**`);
  row(section, 'consistency proof (random old size -> n): hashes (mean, max); bytes raw', `${cons.hashes.mean.toFixed(1)}, ${cons.hashes.max}; ${Math.round(cons.hashes.mean * 32)} B (max ${cons.hashes.max * 32})`);
  row(section, 'consistency proof generation p50 / p99, SQLite prepared statement', `**${p(cons.sql)}**`);
  row(section, 'consistency proof generation p50 / p99, as the server does it', p(cons.server));
  row(section, 'consistency proof verification p50 / p99', `**${p(cons.verify)}**`);
  row(section, 'checkpoint: sign / open (Ed25519) p50; note size', `${us(stats(signT).p50)} / ${us(stats(openT).p50)}; ${Buffer.byteLength(note)} B`);

  db.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * What the server does per proof (services/transparency-log.ts + the SQL store): a dry run to list
 * the coordinates, one SELECT with an OR of (level, idx) pairs (200 per chunk), then the real run.
 */
function serverStyleReader(db) {
  const cache = new Map();
  return (compute) => {
    const needed = tlog.hashesNeeded(compute);
    const found = [];
    for (let i = 0; i < needed.length; i += 200) {
      const chunk = needed.slice(i, i + 200);
      let stmt = cache.get(chunk.length);
      if (!stmt) {
        stmt = db.prepare(`select level, idx, hash from tlog_hashes where ${chunk.map(() => '(level = ? and idx = ?)').join(' or ')}`);
        cache.set(chunk.length, stmt);
      }
      for (const r of stmt.all(...chunk.flatMap((c) => [c.level, c.index]))) found.push({ level: r.level, index: r.idx, hash: Buffer.from(r.hash, 'hex') });
    }
    return tlog.hashReaderFrom(found);
  };
}

// ---------- run ----------
const startedAt = new Date();
const overall = performance.now();
if (!SKIP_HTTP) {
  log('starting a registry for the HTTP parts');
  const server = await startServer();
  const onSignal = async () => {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const size = await appendRate(server);
    await tileCost(server, size);
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}
if (!SKIP_STORE) await generatedStore();

const cpu = cpus();
const command = `node bench/tlog.mjs ${argv.join(' ')}`.trim();
console.log(`Command: \`${command}\`, ${startedAt.toISOString()}; ${cpu.length} CPU (${cpu[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}; took ${((performance.now() - overall) / 1000).toFixed(0)} s\n`);
console.log('| part | figure | value |');
console.log('| --- | --- | --- |');
for (const [section, figure, value] of rows) console.log(`| ${section} | ${figure} | ${value} |`);
