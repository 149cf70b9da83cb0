#!/usr/bin/env node
// Benchmarks a fresh Bulwark against the shared registry-bench harness (and, on request, Verdaccio
// and a static nginx in the same run). `npm run bench -- [harness options]` builds first, then runs
// this file. Steps: a temporary data dir, a user and a token made with the admin commands, `bulwark
// serve` on a free loopback port, run-bench.sh with target `bulwark=<url>,pid=<pid>`, then stop the
// server. Every harness option is passed through (see `npm run bench -- --help`).
//
// Environment:
//   BENCH_HARNESS      path of run-bench.sh (default: ../shared/bench/run-bench.sh beside the repo)
//   BENCH_WORKDIR      the harness's work folder (default /tmp/registry-bench); results go under it
//   BENCH_LOG_LEVEL    the server's log level during the run (default info, as shipped)
//   BENCH_KEEP_DATA=1  keep the server's temporary data dir (and its log) after the run
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { freePort, runAdmin, stopServer } from './lib/local-server.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repoRoot, 'packages/cli/dist/src/bin.js');
const harness = resolve(process.env.BENCH_HARNESS ?? join(repoRoot, '../shared/bench/run-bench.sh'));
const workDir = process.env.BENCH_WORKDIR ?? '/tmp/registry-bench';
const label = 'bulwark';
const userName = 'bench';

const log = (msg) => console.error(`[bench] ${msg}`);
const fail = (msg) => {
  log(`error: ${msg}`);
  process.exit(1);
};

const passThrough = process.argv.slice(2);
if (passThrough.includes('-h') || passThrough.includes('--help')) {
  console.log(`usage: npm run bench -- [run-bench.sh options]

Starts a fresh Bulwark (temporary data dir, user "${userName}", a token) on a free 127.0.0.1 port and
benchmarks it as target "${label}" with ${harness}.
Common options: --quick, --with-verdaccio, --with-verdaccio-jwt, --with-nginx, --tool wrk,
--phases publish,load,install, --scope @bench, --out DIR. The harness's own help follows.
`);
  if (existsSync(harness)) spawnSync('bash', [harness, '--help'], { stdio: 'inherit' });
  process.exit(0);
}

if (!existsSync(bin)) fail(`${bin} is missing: run \`npm run build\` first (\`npm run bench\` does).`);
if (!existsSync(harness)) fail(`benchmark harness not found at ${harness}: set BENCH_HARNESS=/path/to/run-bench.sh`);

/** Runs a bulwark admin command, returns its stdout; exits with its output on failure. */
function admin(args, input) {
  try {
    return runAdmin(args, input);
  } catch (err) {
    return fail(err.message);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForPing(url, child, logFile, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      fail(`bulwark serve exited early (${child.exitCode ?? child.signalCode}); its log:\n${readFileSync(logFile, 'utf8')}`);
    }
    try {
      const res = await fetch(new URL('-/ping', url), { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  child.kill('SIGKILL');
  fail(`bulwark serve did not answer GET ${url}-/ping with 200 within ${timeoutMs / 1000} s; its log:\n${readFileSync(logFile, 'utf8')}`);
}


// 1. A fresh data dir with one user and one token.
const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
const logFile = join(dataDir, 'server.log');
log(`data dir ${dataDir}`);
log(`creating user "${userName}" and a token with the admin commands`);
// Writes need a second factor (mfa.required all-writes): a TOTP user with an automation token.
admin(['user', 'add', userName, '--email', 'bench@example.com', '--password-stdin', '--totp', '--data-dir', dataDir],
  `${randomBytes(18).toString('base64url')}\n`);
const tokenOut = admin(['token', 'create', userName, '--bypass-2fa', '--data-dir', dataDir]);
const token = tokenOut.match(/bwk_[A-Za-z0-9_]+/)?.[0];
if (!token) fail(`no bwk_ token in the output of \`bulwark admin token create\`:\n${tokenOut}`);

// 2. The server, on a port of our choosing; readiness is a 200 from GET /-/ping.
const port = await freePort();
const url = `http://127.0.0.1:${port}/`;
const logFd = openSync(logFile, 'a');
const server = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], {
  cwd: repoRoot,
  stdio: ['ignore', logFd, logFd],
  env: { ...process.env, BULWARK_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' },
});
closeSync(logFd);
let stopping = false;
const onSignal = async (sig) => {
  if (stopping) return;
  stopping = true;
  log(`${sig}: stopping the server`);
  await stopServer(server);
  process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

log(`starting bulwark serve on ${url} (pid ${server.pid}), log in ${logFile}`);
await waitForPing(url, server, logFile);
log('server is up');

// 3. The harness. Results go to --out if given, else to a timestamped folder we name (so we can print it).
let outDir;
const args = [...passThrough];
const outIdx = args.indexOf('--out');
if (outIdx >= 0 && args[outIdx + 1]) {
  outDir = resolve(args[outIdx + 1]);
  args[outIdx + 1] = outDir;
} else {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  outDir = join(workDir, 'results', stamp);
  args.push('--out', outDir);
}
args.push(`${label}=${url},pid=${server.pid}`);
log(`running ${harness} ${args.join(' ')}`);
const bench = spawn('bash', [harness, ...args], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, BENCH_TOKEN_BULWARK: token },
});
const status = await new Promise((ok) => bench.once('exit', (code, signal) => ok(code ?? (signal ? 1 : 0))));

// 4. Stop the server and say where everything is.
stopping = true;
await stopServer(server);
if (process.env.BENCH_KEEP_DATA === '1') {
  log(`server data and log kept in ${dataDir}`);
} else {
  if (status !== 0) {
    const copy = join(workDir, `bulwark-server-${Date.now()}.log`);
    try {
      writeFileSync(copy, readFileSync(logFile));
      log(`server log saved to ${copy}`);
    } catch {
      // nothing to keep
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}
log(`results: ${outDir} (comparison.md, ${label}.json${passThrough.some((a) => a.startsWith('--with-')) ? ', one JSON per peer' : ''})`);
if (status !== 0) log(`the harness exited with status ${status}`);
process.exit(status);
