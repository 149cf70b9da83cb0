#!/usr/bin/env node
// The hot-path cost of counting a tarball download (GEN-2a's downloads-per-week fact):
// DownloadCounter.record() over 1,000 package names, no database involved (writes are batched).
// Run after `npm run build`: node bench/download-counter.mjs
import { DownloadCounter } from '../packages/server/dist/src/services/download-counter.js';

const counter = new DownloadCounter({ store: { addDownloads: async () => {} }, clock: { now: () => new Date() }, flushMs: 60_000 });
const names = Array.from({ length: 1000 }, (_, i) => `pkg-${i}`);
for (let i = 0; i < 100_000; i++) counter.record(names[i % 1000]);
for (let run = 0; run < 3; run++) {
  const n = 2_000_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) counter.record(names[i % 1000]);
  console.log(`record(): ${(Number(process.hrtime.bigint() - start) / n).toFixed(0)} ns/call`);
}
