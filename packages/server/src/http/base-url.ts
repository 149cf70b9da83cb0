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
  return (request) => {
    const host = request.host;
    if (!HOST.test(host)) throw new RegistryError('E_BAD_REQUEST', 'The Host header is not a valid host name.');
    return `${request.protocol}://${host}${basePath}`;
  };
}
