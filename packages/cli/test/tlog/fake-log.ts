// A tiny stand-in for a registry's transparency-log endpoints, built on the server's tlog library,
// so `bulwark tlog verify` can be tested against logs that misbehave on purpose. Not a test file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { entryBytes, type RegistryEvent } from '@bulwark/server/domain/registry-event';
import {
  appendLeaf, consistencyProof, encodeBase64, encodeEntryBundle, encodeHashTile, parseTilePath, readTileHashes, generateNoteKey, hashLeaf, hashReaderFrom, inclusionProof, parseSignerKey,
  signCheckpoint, treeHash, type StoredHash,
} from '@bulwark/server/domain/tlog/index';

export class FakeLog {
  readonly key = generateNoteKey('fake.test/tlog');
  private readonly signer = parseSignerKey(this.key.signerKey);
  readonly entries: Array<{ index: number; time: string } & RegistryEvent> = [];
  private hashes: StoredHash[] = [];
  /** When set, the checkpoint is signed over this root instead of the real one (a split view). */
  forgedRoot: Uint8Array | undefined;
  private server: Server | undefined;
  url = '';

  append(event: RegistryEvent): number {
    const index = this.entries.length;
    const time = new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString();
    this.entries.push({ index, time, ...event });
    const leaf = hashLeaf(entryBytes({ index, time, event }));
    this.hashes.push(...appendLeaf(index, leaf, hashReaderFrom(this.hashes)));
    return index;
  }

  publish(name: string, version: string): number {
    return this.append({ type: 'version-published', name, version, integrity: `sha512-${name}-${version}`, actor: 'alice', actorKind: 'user', provenance: null });
  }

  private answer(path: string, query: URLSearchParams): unknown {
    const read = hashReaderFrom(this.hashes);
    const size = this.entries.length;
    if (path.startsWith('/-/tlog/tile/')) {
      const tile = parseTilePath(path.slice('/-/tlog/'.length));
      if (tile.kind === 'hashes') return Buffer.from(encodeHashTile(readTileHashes(tile.tile, read)));
      const bundle = this.entries.slice(tile.index * 256, tile.index * 256 + tile.width);
      return Buffer.from(encodeEntryBundle(bundle.map(({ index, time, ...event }) => entryBytes({ index, time, event: event as RegistryEvent }))));
    }
    if (path === '/-/tlog/key') return `${this.key.verifierKey}\n`;
    if (path === '/-/tlog/checkpoint') {
      return signCheckpoint({ origin: 'fake.test/tlog', size, rootHash: this.forgedRoot ?? treeHash(size, read), extensions: [] }, this.signer);
    }
    if (path === '/-/tlog/entries') {
      const since = Number(query.get('since') ?? 0);
      const page = this.entries.slice(since, since + Number(query.get('limit') ?? 100));
      return { size, entries: page, next: page.length ? page[page.length - 1]!.index + 1 : since };
    }
    if (path === '/-/tlog/proof/inclusion') {
      return { proof: inclusionProof(Number(query.get('size')), Number(query.get('index')), read).map(encodeBase64) };
    }
    if (path === '/-/tlog/proof/consistency') {
      return { proof: consistencyProof(Number(query.get('old')), Number(query.get('new')), read).map(encodeBase64) };
    }
    const name = decodeURIComponent(path.slice(1));
    const versions = Object.fromEntries(this.entries.filter((e) => e.type === 'version-published' && e.name === name)
      .map((e) => [(e as { version: string }).version, { dist: { integrity: (e as { integrity: string }).integrity, tlogIndex: e.index } }]));
    return Object.keys(versions).length ? { name, versions } : undefined;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      try {
        const body = this.answer(url.pathname, url.searchParams);
        if (body === undefined) return void res.writeHead(404).end('{}');
        res.writeHead(200).end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
      } catch (err) {
        res.writeHead(400).end(JSON.stringify({ error: (err as Error).message }));
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
