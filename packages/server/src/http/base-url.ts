import type { FastifyRequest } from 'fastify';
import { RegistryError } from '../domain/errors.js';

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The URL clients reach the registry at, for absolute tarball URLs. A configured public URL wins;
 * otherwise the request's Host, which must look like a host name, and the mount point.
 */
export function baseUrlResolver(publicUrl: string | null, basePath: string): (request: FastifyRequest) => string {
  if (publicUrl) {
    const fixed = publicUrl.replace(/\/+$/, '');
    return () => fixed;
  }
  // Clients send one of a few Host values; remember the URL for each (bounded).
  const known = new Map<string, string>();
  return (request) => {
    const key = `${request.protocol} ${request.host}`;
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    const host = request.host;
    if (!HOST.test(host)) throw new RegistryError('E_BAD_REQUEST', 'The Host header is not a valid host name.');
    const url = `${request.protocol}://${host}${basePath}`;
    if (known.size < 64) known.set(key, url);
    return url;
  };
}
