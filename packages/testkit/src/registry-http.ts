// Plain HTTP helpers for talking to a registry with fetch (no npm CLI involved).
import { escapedName } from './package-fixture.js';

export const CORGI_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T | undefined;
}

function joinUrl(registryUrl: string, path: string): string {
  return registryUrl.replace(/\/?$/, '/') + path.replace(/^\/+/, '');
}

export async function request<T = unknown>(url: string, init: RequestInit & { token?: string; basic?: { user: string; password: string } } = {}): Promise<HttpResult<T>> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.basic) headers.set('authorization', `Basic ${Buffer.from(`${init.basic.user}:${init.basic.password}`).toString('base64')}`);
  const { token: _t, basic: _b, ...rest } = init;
  const res = await fetch(url, { ...rest, headers });
  const text = await res.text();
  let json: T | undefined;
  try { json = JSON.parse(text) as T; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

export type Packument = {
  _id?: string;
  _rev?: string;
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, VersionManifest>;
  time?: Record<string, string>;
  maintainers?: Array<{ name: string; email?: string }>;
  users?: Record<string, boolean>;
  readme?: string;
  [k: string]: unknown;
};

export type VersionManifest = {
  name: string;
  version: string;
  dist: { tarball: string; integrity?: string; shasum?: string; [k: string]: unknown };
  _npmUser?: { name: string; email?: string };
  deprecated?: string;
  [k: string]: unknown;
};

export function getPackument(registryUrl: string, name: string, opts: { token?: string; accept?: string } = {}): Promise<HttpResult<Packument>> {
  return request<Packument>(joinUrl(registryUrl, escapedName(name)), {
    token: opts.token,
    headers: { accept: opts.accept ?? 'application/json' },
  });
}

/** PUT /{escapedName} with a JSON body (object or raw string). */
export function putPackage(registryUrl: string, name: string, body: unknown, token?: string, extraHeaders: Record<string, string> = {}): Promise<HttpResult<{ error?: string; [k: string]: unknown }>> {
  return request(joinUrl(registryUrl, escapedName(name)), {
    method: 'PUT',
    token,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...extraHeaders },
    body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });
}

export async function fetchBytes(url: string, token?: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, headers: res.headers };
}

export { joinUrl };
