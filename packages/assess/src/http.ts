import type { Evidence } from './types.js';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed when the body is JSON, else undefined. */
  readonly json: unknown;
  /** `GET /path` as the evidence names it. */
  readonly what: string;
  /** Set when the request never got an answer (connection refused, timeout). */
  readonly failure?: string;
}

/**
 * POSTs that change nothing, so an anonymous run may send them: npm's audit endpoints, the OSV
 * query API, a token exchange with a deliberately invalid OIDC token (it cannot mint), and an
 * unsigned, empty secret-scanning report (it names no token, and must be refused as unsigned).
 */
export const READ_ONLY_POSTS: readonly RegExp[] = [
  /\/-\/npm\/v1\/security\/advisories\/bulk$/,
  /\/-\/npm\/v1\/security\/audits\/quick$/,
  /\/v1\/query$/,
  /\/v1\/querybatch$/,
  /\/-\/npm\/v1\/oidc\/token\/exchange\/package\/[^/]+$/,
  // An unsigned, empty secret report: a registry must refuse it, and it names no token to revoke.
  /\/-\/bulwark\/v1\/secret-scanning\/[^/]+$/,
];

export class UnsafeRequestError extends Error {}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** A state-changing request: refused unless writes are allowed, and then only for the scope's packages. */
  readonly write?: { readonly packageName?: string };
  readonly timeoutMs?: number;
}

/**
 * Every request a probe makes goes through here: the client refuses anything that could change
 * state unless the operator passed --allow-writes, and even then only for packages inside the
 * given scope. Each answer is remembered, so the report can show what was asked.
 */
export class ProbeHttp {
  readonly log: { method: string; url: string; status: number }[] = [];
  private readonly memo = new Map<string, Promise<HttpAnswer>>();

  constructor(
    readonly base: URL,
    private readonly safety: { readonly allowWrites: boolean; readonly scope: string | null },
  ) {}

  /** An absolute URL for a registry path (`-/ping`, `/-/ping`), under the base path. */
  url(path: string): string {
    if (/^https?:\/\//.test(path)) return path;
    return new URL(path.replace(/^\/+/, ''), this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`).href;
  }

  /** The host's root, for RFC 9116's /.well-known/security.txt. */
  originUrl(path: string): string {
    return new URL(path, this.base.origin).href;
  }

  /** GETs are memoised per URL+auth so several probes share one answer. */
  get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const url = this.url(path);
    const key = `${url} ${JSON.stringify(headers)}`;
    let answer = this.memo.get(key);
    if (!answer) {
      answer = this.request(url, { headers });
      this.memo.set(key, answer);
    }
    return answer;
  }

  async request(pathOrUrl: string, options: RequestOptions = {}): Promise<HttpAnswer> {
    const url = this.url(pathOrUrl);
    const method = (options.method ?? 'GET').toUpperCase();
    this.check(method, url, options);
    const what = `${method} ${new URL(url).pathname}${new URL(url).search}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 20_000);
    try {
      const res = await fetch(url, {
        method, headers: { 'user-agent': 'bulwark-assess/0.1', accept: 'application/json, text/plain, */*', ...options.headers },
        body: options.body, redirect: 'manual', signal: controller.signal,
      });
      const text = await res.text();
      let json: unknown;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
      this.log.push({ method, url, status: res.status });
      return { status: res.status, headers: res.headers, text, json, what };
    } catch (err) {
      this.log.push({ method, url, status: 0 });
      return { status: 0, headers: new Headers(), text: '', json: undefined, what, failure: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  private check(method: string, url: string, options: RequestOptions): void {
    if (method === 'GET' || method === 'HEAD') return;
    const path = new URL(url).pathname;
    if (method === 'POST' && !options.write && READ_ONLY_POSTS.some((r) => r.test(path))) return;
    if (!options.write) throw new UnsafeRequestError(`refusing ${method} ${path}: not a known read-only request`);
    if (!this.safety.allowWrites) throw new UnsafeRequestError(`refusing ${method} ${path}: writes need --allow-writes`);
    const name = options.write.packageName;
    if (name !== undefined && !(this.safety.scope && name.startsWith(`${this.safety.scope}/`))) {
      throw new UnsafeRequestError(`refusing ${method} ${path}: ${name} is outside the scope ${this.safety.scope ?? '(none given)'}`);
    }
  }
}

/** A one-line summary of an answer for the evidence list. */
export function describe(answer: HttpAnswer, extra = ''): string {
  if (answer.failure) return `no answer (${answer.failure})`;
  const type = answer.headers.get('content-type')?.split(';')[0] ?? 'no content-type';
  return `${answer.status} ${type}${extra ? `; ${extra}` : ''}`;
}

export function evidenceOf(answer: HttpAnswer, extra = '', kind: 'http' | 'account' = 'http'): Evidence {
  const excerpt = answer.text.slice(0, 300);
  return { kind, what: answer.what, result: describe(answer, extra), ...(excerpt ? { excerpt } : {}) };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
