import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { openSqliteMetadataStore } from '../../src/adapters/metadata/sqlite-metadata-store.js';
import { SqlAdvisoryStore } from '../../src/adapters/metadata/sql/advisory-store.js';
import { FileAdvisorySource, HttpAdvisorySource } from '../../src/adapters/advisories/osv-source.js';
import type { AdvisorySource, OsvInput } from '../../src/domain/advisories/advisory-source.js';
import { AdvisoryImport, AdvisorySync } from '../../src/services/advisories/index.js';
import { sharedFixturesDir } from '@bulwark/testkit';

const FIXTURE = join(sharedFixturesDir(), 'advisories', 'npm-advisories.jsonl');

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function record(id: string, modified: string, summary = id, range = { introduced: '0', fixed: '1.0.1' }) {
  return {
    id, modified, summary,
    affected: [{ package: { ecosystem: 'npm', name: 'sync-lib' }, ranges: [{ type: 'SEMVER', events: [{ introduced: range.introduced }, { fixed: range.fixed }] }] }],
  };
}

describe('GEN-2d / CLI-2a: importing and syncing the advisory database', () => {
  let dir: string;
  let lines: string[];
  const open = async (name: string) => {
    const metadata = await openSqliteMetadataStore(join(dir, `${name}.sqlite`));
    return { metadata, store: new SqlAdvisoryStore(metadata.kysely) };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-advisories-'));
    lines = (await readFile(FIXTURE, 'utf8')).split('\n').filter(Boolean);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('GEN-2d: a zip in the layout of osv.dev\'s all.zip imports every record; a re-import changes nothing', async () => {
    const files: Record<string, string> = {};
    for (const line of lines) files[`${JSON.parse(line).id}.json`] = line;
    const zipFile = join(dir, 'all.zip');
    await writeFile(zipFile, await zipOf(files));
    const { metadata, store } = await open('zip');
    const importer = new AdvisoryImport({ store, source: new FileAdvisorySource() });
    const first = await importer.importFrom(zipFile);
    assert.equal(first.seen + first.invalid, 2695);
    assert.equal(first.invalid, 0, first.errors.join('\n'));
    assert.equal(first.added, 2695);
    const generation = await store.generation();
    const again = await importer.importFrom(zipFile);
    assert.deepEqual({ added: again.added, updated: again.updated, unchanged: again.unchanged }, { added: 0, updated: 0, unchanged: 2695 });
    assert.equal(await store.generation(), generation, 'nothing was written');
    assert.equal(await store.count(), 2695);
    // Aliases are indexed: a CVE finds the records that list it, GitHub's preferred.
    assert.equal((await store.find('CVE-2014-7205'))?.id, 'GHSA-5j3g-jfq3-7jwx');
    assert.equal((await store.find('CVE-2016-1000229'))?.id, 'NSWG-ECO-126');
    await metadata.close();
  });

  test('GEN-2d: a directory of JSON files, a JSON array and JSON lines import alike; invalid records are counted, not fatal', async () => {
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'nested'), { recursive: true });
    await writeFile(join(tree, 'one.json'), lines[0]!);
    await writeFile(join(tree, 'nested', 'array.json'), `[${lines[1]},${lines[2]}]`);
    await writeFile(join(tree, 'more.jsonl'), `${lines[3]}\n{"id": 5}\nnot json\n`);
    await writeFile(join(tree, 'README.md'), 'ignored');
    const { metadata, store } = await open('dir');
    const result = await new AdvisoryImport({ store, source: new FileAdvisorySource() }).importFrom(tree);
    assert.equal(result.added, 4);
    assert.equal(result.invalid, 2);
    assert.equal(result.errors.length, 2);
    await metadata.close();
  });

  test('GEN-2d: an interrupted import commits whole batches; the rerun continues where it stopped', async () => {
    const { metadata, store } = await open('resume');
    const inputs: OsvInput[] = lines.slice(0, 1000).map((line, i) => ({ value: JSON.parse(line), origin: `line ${i + 1}` }));
    const crashing: AdvisorySource = {
      async *read() {
        for (const [i, input] of inputs.entries()) {
          if (i === 650) throw new Error('connection lost');
          yield input;
        }
      },
    };
    const interrupted = new AdvisoryImport({ store, source: crashing, batchSize: 200 });
    await assert.rejects(interrupted.importFrom('x'), /connection lost/);
    assert.equal(await store.count(), 600, 'three whole batches were committed');
    const rerun = await new AdvisoryImport({ store, source: { read: async function* () { yield* inputs; } }, batchSize: 200 }).importFrom('x');
    assert.equal(rerun.unchanged, 600);
    assert.equal(rerun.added, 400);
    assert.equal(await store.count(), 1000);
    await metadata.close();
  });

  test('GEN-2d: the scheduled sync fetches from a URL on loopback and applies only records with a newer "modified"', async () => {
    let body: Buffer = Buffer.from('');
    let contentType = 'application/json';
    const server: Server = createServer((req, res) => {
      res.writeHead(req.url === '/osv/all' ? 200 : 404, { 'content-type': contentType });
      res.end(req.url === '/osv/all' ? body : 'no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/osv/all`;
    const { metadata, store } = await open('sync');
    const logs: string[] = [];
    const logger = { info: (_o: object, msg: string) => logs.push(msg), error: (o: object, msg: string) => logs.push(`${msg} ${JSON.stringify(o)}`) };
    const importer = new AdvisoryImport({ store, source: new HttpAdvisorySource() });
    const sync = new AdvisorySync({ importer, url, intervalMs: 60_000, logger });
    try {
      // JSON lines first.
      body = Buffer.from([record('GHSA-sync-0001-aaaa', '2026-01-01T00:00:00Z'), record('GHSA-sync-0002-aaaa', '2026-01-01T00:00:00Z')].map((r) => JSON.stringify(r)).join('\n'));
      const first = await sync.runOnce();
      assert.equal(first?.added, 2);
      // Then a zip: one record newer (applied), one older than stored (ignored), one new.
      contentType = 'application/zip';
      body = await zipOf({
        'GHSA-sync-0001-aaaa.json': JSON.stringify(record('GHSA-sync-0001-aaaa', '2026-02-01T00:00:00Z', 'updated', { introduced: '0', fixed: '1.0.2' })),
        'GHSA-sync-0002-aaaa.json': JSON.stringify(record('GHSA-sync-0002-aaaa', '2025-12-01T00:00:00Z', 'older: must not win')),
        'GHSA-sync-0003-aaaa.json': JSON.stringify(record('GHSA-sync-0003-aaaa', '2026-02-01T00:00:00Z')),
      });
      const second = await sync.runOnce();
      assert.deepEqual({ added: second?.added, updated: second?.updated, unchanged: second?.unchanged }, { added: 1, updated: 1, unchanged: 1 });
      assert.equal((await store.find('GHSA-sync-0001-aaaa'))?.summary.title, 'updated');
      assert.equal((await store.find('GHSA-sync-0002-aaaa'))?.summary.title, 'GHSA-sync-0002-aaaa');
      const rows = await store.listForPackages(['sync-lib']);
      assert.equal(rows.find((r) => r.advisoryId === 'GHSA-sync-0001-aaaa')?.range, '<1.0.2');
      // A failing source is logged, not thrown; the database is untouched.
      const broken = new AdvisorySync({ importer, url: url.replace('/osv/all', '/missing'), intervalMs: 60_000, logger });
      assert.equal(await broken.runOnce(), null);
      assert.match(logs.at(-1)!, /advisory sync failed.*HTTP 404/);
      await broken.stop();
    } finally {
      await sync.stop();
      await new Promise((resolve) => server.close(resolve));
      await metadata.close();
    }
  });
});
