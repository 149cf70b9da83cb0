import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const ASSET_DIR = new URL('../../../../assets/', import.meta.url);
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

export interface StaticAssets {
  /** The served path (with content hash) of a source file name, e.g. app.css -> /-/static/app.3f2a….css */
  readonly url: (file: string) => string;
}

/**
 * The UI's CSS (and later the WebAuthn script), loaded once and served under content-hashed names
 * as immutable: pages never wait on a stale stylesheet, and the CSP needs no inline allowance.
 */
export function registerStaticAssets(app: FastifyInstance, basePath: string, files: readonly string[]): StaticAssets {
  const byServedName = new Map<string, { body: Buffer; type: string }>();
  const urls = new Map<string, string>();
  for (const file of files) {
    const body = readFileSync(new URL(file, ASSET_DIR));
    // Built files live in assets/build/; the served name is flat (one path segment).
    const name = file.slice(file.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    const ext = name.slice(dot + 1);
    const served = `${name.slice(0, dot)}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
    byServedName.set(served, { body, type: TYPES[ext] ?? 'application/octet-stream' });
    urls.set(file, `${basePath}/-/static/${served}`);
  }
  app.get<{ Params: { file: string } }>('/-/static/:file', async (request, reply) => {
    const asset = byServedName.get(request.params.file);
    if (!asset) return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    return reply
      .header('content-type', asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(asset.body);
  });
  return {
    url(file) {
      const url = urls.get(file);
      if (!url) throw new Error(`unknown asset ${file}`);
      return url;
    },
  };
}
