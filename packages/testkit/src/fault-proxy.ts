// An HTTP reverse proxy on 127.0.0.1 in front of a registry. It records every exchange
// (method, URL, headers, request and response bodies, status) and can inject faults per rule.
// Registry URLs inside JSON/HTML responses are rewritten to the proxy's origin so that clients
// keep talking through it (tarball URLs, login/done URLs).
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface RecordedExchange {
  id: number;
  method: string;
  /** Path and query as received. */
  url: string;
  /** Path without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  status?: number;
  responseHeaders?: IncomingHttpHeaders;
  /** Response body as sent to the client (after rewriting, decompressed when rewritten). */
  responseBody?: Buffer;
  /** Name of the rule that answered instead of the registry. */
  fault?: string;
}

export interface FaultResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | Record<string, unknown>;
}

export interface FaultRule {
  name?: string;
  method?: string;
  /** Exact path (without query) or a regular expression tested against the path. */
  path?: string | RegExp;
  /** Substring of (or regex against) the Accept header. */
  accept?: string | RegExp;
  /** Further custom condition. */
  when?: (req: { method: string; url: string; path: string; headers: IncomingHttpHeaders; body: Buffer }) => boolean;
  /** How many times the rule fires before it lets requests pass (default: always). */
  times?: number;
  /** What to answer; 'reset' destroys the connection. */
  respond: FaultResponse | 'reset';
  delayMs?: number;
}

export interface ActiveRule {
  readonly rule: FaultRule;
  /** How many times it fired. */
  hits: number;
  remove(): void;
}

export interface FaultProxy {
  /** Proxy origin + the target's base path, with a trailing slash: use as the registry URL. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly exchanges: RecordedExchange[];
  addRule(rule: FaultRule): ActiveRule;
  clearRules(): void;
  clearExchanges(): void;
  /** Exchanges matching a method and path (string = exact path, RegExp = test). */
  find(method: string | undefined, path: string | RegExp): RecordedExchange[];
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The registry URL to forward to (base path kept as is; paths are forwarded unchanged). */
  target: string;
  /** Rewrite the target origin to the proxy origin in JSON/HTML/text bodies and Location (default true). */
  rewrite?: boolean;
  /** Forward the client's Host header (default true), so a registry that builds URLs from Host names the proxy. */
  preserveHost?: boolean;
}

const REWRITABLE = /json|html|text|javascript/i;

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').toLowerCase()) {
    case 'gzip': case 'x-gzip': return gunzipSync(body);
    case 'deflate': return inflateSync(body);
    case 'br': return brotliDecompressSync(body);
    default: return body;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function matches(rule: FaultRule, r: { method: string; url: string; path: string; headers: IncomingHttpHeaders; body: Buffer }): boolean {
  if (rule.method && rule.method.toUpperCase() !== r.method) return false;
  if (rule.path !== undefined) {
    if (typeof rule.path === 'string' ? rule.path !== r.path : !rule.path.test(r.path)) return false;
  }
  if (rule.accept !== undefined) {
    const accept = String(r.headers.accept ?? '');
    if (typeof rule.accept === 'string' ? !accept.includes(rule.accept) : !rule.accept.test(accept)) return false;
  }
  if (rule.when && !rule.when(r)) return false;
  return true;
}

/** Starts the proxy on 127.0.0.1 (random port). */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const rewrite = opts.rewrite ?? true;
  const rules: ActiveRule[] = [];
  const exchanges: RecordedExchange[] = [];
  let nextId = 1;
  let origin = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const ex: RecordedExchange = { id: nextId++, method, url, path, headers: req.headers, body };
    exchanges.push(ex);

    const view = { method, url, path, headers: req.headers, body };
    const active = rules.find((r) => (r.rule.times === undefined || r.hits < r.rule.times) && matches(r.rule, view));
    if (active) {
      active.hits++;
      ex.fault = active.rule.name ?? `rule#${rules.indexOf(active)}`;
      if (active.rule.delayMs) await new Promise((r) => setTimeout(r, active.rule.delayMs));
      if (active.rule.respond === 'reset') {
        ex.status = 0;
        req.socket.destroy();
        return;
      }
      const f = active.rule.respond;
      const payload = f.body === undefined ? Buffer.alloc(0)
        : Buffer.isBuffer(f.body) ? f.body
          : typeof f.body === 'string' ? Buffer.from(f.body) : Buffer.from(JSON.stringify(f.body));
      const headers: Record<string, string> = { 'content-type': 'application/json', ...f.headers, 'content-length': String(payload.length) };
      ex.status = f.status;
      ex.responseHeaders = headers;
      ex.responseBody = payload;
      res.writeHead(f.status, headers);
      res.end(payload);
      return;
    }

    const fwdHeaders: IncomingHttpHeaders = { ...req.headers, host: (opts.preserveHost ?? true) ? (req.headers.host ?? target.host) : target.host };
    delete fwdHeaders['content-length'];
    if (body.length || !['GET', 'HEAD'].includes(method)) fwdHeaders['content-length'] = String(body.length);
    delete fwdHeaders.connection;

    await new Promise<void>((resolve) => {
      const up = httpRequest({
        host: target.hostname,
        port: target.port || 80,
        method,
        path: url,
        headers: fwdHeaders,
      }, (upRes) => {
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('error', () => { res.destroy(); resolve(); });
        upRes.on('end', () => {
          let out = Buffer.concat(chunks);
          const headers: IncomingHttpHeaders = { ...upRes.headers };
          delete headers['transfer-encoding'];
          delete headers.connection;
          delete headers['keep-alive'];
          const ctype = String(headers['content-type'] ?? '');
          if (rewrite && REWRITABLE.test(ctype) && out.length) {
            try {
              const plain = decode(out, headers['content-encoding'] as string | undefined);
              const text = plain.toString('utf8').split(target.origin).join(origin);
              out = Buffer.from(text, 'utf8');
              delete headers['content-encoding'];
              delete headers.etag;
            } catch { /* leave the body alone */ }
          }
          if (rewrite && typeof headers.location === 'string') headers.location = headers.location.split(target.origin).join(origin);
          headers['content-length'] = String(out.length);
          ex.status = upRes.statusCode ?? 0;
          ex.responseHeaders = headers;
          ex.responseBody = out;
          res.writeHead(upRes.statusCode ?? 502, headers);
          res.end(method === 'HEAD' ? undefined : out);
          resolve();
        });
      });
      up.on('error', (err) => {
        ex.status = 502;
        ex.responseBody = Buffer.from(JSON.stringify({ error: `proxy: upstream error ${err.message}` }));
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(ex.responseBody);
        resolve();
      });
      up.end(body);
    });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `proxy failure: ${String(err)}` }));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  const basePath = target.pathname.endsWith('/') ? target.pathname : target.pathname + '/';

  return {
    url: origin + basePath,
    origin,
    port,
    exchanges,
    addRule(rule) {
      const a: ActiveRule = {
        rule,
        hits: 0,
        remove() {
          const i = rules.indexOf(a);
          if (i >= 0) rules.splice(i, 1);
        },
      };
      rules.push(a);
      return a;
    },
    clearRules() { rules.length = 0; },
    clearExchanges() { exchanges.length = 0; },
    find(method, path) {
      return exchanges.filter((e) => (!method || e.method === method.toUpperCase())
        && (typeof path === 'string' ? e.path === path : path.test(e.path)));
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
