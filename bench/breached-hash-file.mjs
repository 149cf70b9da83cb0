#!/usr/bin/env node
// Lookup cost of the offline leaked-password corpus (auth.breachedPasswords.mode = hash-file):
// writes N sorted random SHA-1 lines (HASH:COUNT, CRLF, the download format) to a temp file and
// times lookups of present and absent hashes through Sha1HashFile's binary search.
// Usage: npm run build && node bench/breached-hash-file.mjs [lines=2000000] [lookups=2000]
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Sha1HashFile } from '../packages/server/dist/src/adapters/passwords/sha1-hash-file.js';

const lines = Number(process.argv[2] ?? 2_000_000);
const lookups = Number(process.argv[3] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'bench-hibp-'));
const file = join(dir, 'hashes.txt');
try {
  const hashes = Array.from({ length: lines }, () => createHash('sha1').update(randomBytes(8)).digest('hex').toUpperCase()).sort();
  const out = createWriteStream(file);
  for (let i = 0; i < hashes.length; i++) {
    if (!out.write(`${hashes[i]}:${1 + (i % 1000)}${i + 1 < hashes.length ? '\r\n' : ''}`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const corpus = new Sha1HashFile(file);
  await corpus.count(hashes[0]);
  const start = process.hrtime.bigint();
  let found = 0;
  for (let i = 0; i < lookups; i++) {
    const hash = i % 2 === 0 ? hashes[(i * 7919) % hashes.length] : createHash('sha1').update(`absent-${i}`).digest('hex').toUpperCase();
    if ((await corpus.count(hash)) > 0) found++;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await corpus.close();
  console.log(JSON.stringify({ lines, fileMB: +(statSync(file).size / 1e6).toFixed(1), lookups, found, msPerLookup: +(ms / lookups).toFixed(3) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
