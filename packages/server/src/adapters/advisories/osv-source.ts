import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import yauzl from 'yauzl';
import { RegistryError } from '../../domain/errors.js';
import type { AdvisorySource, OsvInput } from '../../domain/advisories/advisory-source.js';

/** One OSV record is a few KiB; anything this large is not one. */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
/** osv.dev's npm all.zip is well under this. */
const MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024;

const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** JSON text as records: one object, an array of objects, or JSON lines. */
function* parseJsonText(text: string, origin: string): Generator<OsvInput> {
  const trimmed = text.trim();
  if (trimmed === '') return;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) yield { value: value[i], origin: `${origin}[${i}]` };
    } else {
      yield { value, origin };
    }
    return;
  } catch {
    // Not one JSON document: JSON lines.
  }
  const lines = trimmed.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      yield { value: JSON.parse(line), origin: `${origin}:${i + 1}` };
    } catch (err) {
      yield { value: new Error(`not JSON (${(err as Error).message})`), origin: `${origin}:${i + 1}` };
    }
  }
}

async function readStream(stream: NodeJS.ReadableStream, limit: number, origin: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`${origin} is over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Every `.json`/`.jsonl` entry of a zip (osv.dev's all.zip: one record per `<ID>.json`). */
async function* zipEntries(bytes: Buffer, origin: string): AsyncGenerator<OsvInput> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true });
  } catch (err) {
    throw new RegistryError('E_ADVISORY_SOURCE', `${origin} is not a readable zip: ${(err as Error).message}`, { cause: err });
  }
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (name.endsWith('/') || !/\.(json|jsonl|ndjson)$/i.test(name)) continue;
      const where = `${origin}:${name}`;
      if (entry.uncompressedSize > MAX_ENTRY_BYTES) {
        yield { value: new Error(`entry is over ${MAX_ENTRY_BYTES} bytes`), origin: where };
        continue;
      }
      const text = (await readStream(await zip.openReadStreamPromise(entry), MAX_ENTRY_BYTES, where)).toString('utf8');
      yield* parseJsonText(text, where);
    }
  } finally {
    zip.close();
  }
}

async function* fromBytes(bytes: Buffer, origin: string): AsyncGenerator<OsvInput> {
  if (isZip(bytes)) yield* zipEntries(bytes, origin);
  else yield* parseJsonText(bytes.toString('utf8'), origin);
}

async function* fromPath(path: string, root: string): AsyncGenerator<OsvInput> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new RegistryError('E_ADVISORY_SOURCE', `Cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (info.isDirectory()) {
    // Sorted, so a rerun walks the same order (batches resume where they stopped).
    const names = (await readdir(path)).sort();
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const child = join(path, name);
      const childInfo = await stat(child);
      if (childInfo.isDirectory() || /\.(json|jsonl|ndjson|zip)$/i.test(name)) yield* fromPath(child, root);
    }
    return;
  }
  yield* fromBytes(await readFile(path), relative(root, path) || path);
}

/** Files, directories and zips on the local disk (`bulwark admin advisories import PATH`). */
export class FileAdvisorySource implements AdvisorySource {
  read(location: string): AsyncIterable<OsvInput> {
    return fromPath(location, location);
  }
}

/**
 * A URL serving a zip, a JSON array or JSON lines (the sync job), fetched whole with a size cap.
 * Plain `http:` is allowed for a mirror on the operator's own network; the operator chooses the URL.
 */
export class HttpAdvisorySource implements AdvisorySource {
  constructor(private readonly options: { timeoutMs?: number } = {}) {}

  read(location: string, signal?: AbortSignal): AsyncIterable<OsvInput> {
    const timeoutMs = this.options.timeoutMs ?? 300_000;
    return (async function* () {
      let url: URL;
      try {
        url = new URL(location);
      } catch {
        throw new RegistryError('E_ADVISORY_SOURCE', `Not a URL: ${location}`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RegistryError('E_ADVISORY_SOURCE', `Only http and https URLs can be synced (got ${url.protocol}).`);
      const shown = `${url.origin}${url.pathname}`;
      let bytes: Buffer;
      try {
        const timeout = AbortSignal.timeout(timeoutMs);
        const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow' });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        bytes = await readStream(response.body as unknown as NodeJS.ReadableStream, MAX_DOWNLOAD_BYTES, shown);
      } catch (err) {
        throw new RegistryError('E_ADVISORY_SOURCE', `Cannot fetch ${shown}: ${(err as Error).message}`, { cause: err });
      }
      yield* fromBytes(bytes, shown);
    })();
  }
}
