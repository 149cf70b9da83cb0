#!/usr/bin/env node
// Runs every compiled test file with node's test runner. Node 20 has no glob support in
// `node --test`, so the files are collected here. Usage: node scripts/run-tests.mjs [filter]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['packages/assess/dist/test', 'packages/server/dist/test', 'packages/cli/dist/test', 'packages/testkit/dist/test', 'e2e/dist'];
const filter = process.argv[2];
const files = [];
function walk(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js') && (!filter || path.includes(filter))) files.push(path);
  }
}
roots.forEach(walk);
if (files.length === 0) {
  console.error('no test files found (did the build run?)');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
