/**
 * GEN-3b: a thin HTTP client for a registry's transparency-log endpoints and packuments.
 * Answers are untrusted: callers verify everything against a signed checkpoint.
 */

/** A feed entry as served: `{index, time, type, ...event fields}`. */
export type FeedEntry = { readonly index: number; readonly time: string; readonly type: string } & Record<string, unknown>;

export interface FeedPage {
  readonly size: number;
  readonly entries: FeedEntry[];
  readonly next: number;
}

export class HttpError extends Error {
  constructor(readonly url: string, readonly status: number, body: string) {
    super(`GET ${url} -> ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

/** `http://host/path` -> `http://host/path/` (the base every registry path hangs off). */
export function normaliseRegistryUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`registry URL must be http(s): ${raw}`);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
}

export class RegistryClient {
  readonly base: string;

  constructor(registry: string) {
    this.base = normaliseRegistryUrl(registry);
  }

  private async get(path: string): Promise<Response> {
    const url = this.base + path;
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: '*/*' } });
    } catch (err) {
      throw new Error(`GET ${url}: ${(err as Error).message}`);
    }
    if (!res.ok) throw new HttpError(url, res.status, await res.text().catch(() => ''));
    return res;
  }

  async text(path: string): Promise<string> {
    return (await this.get(path)).text();
  }

  async json<T>(path: string): Promise<T> {
    return (await (await this.get(path)).json()) as T;
  }

  async bytes(path: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.get(path)).arrayBuffer());
  }

  checkpoint(): Promise<string> {
    return this.text('-/tlog/checkpoint');
  }

  async verifierKey(): Promise<string> {
    return (await this.text('-/tlog/key')).trim();
  }

  entries(since: number, limit = 1000): Promise<FeedPage> {
    return this.json<FeedPage>(`-/tlog/entries?since=${since}&limit=${limit}`);
  }

  /** The feed entry at `index`, or undefined when the feed has none there. */
  async entry(index: number): Promise<FeedEntry | undefined> {
    const page = await this.entries(index, 1);
    const first = page.entries[0];
    return first?.index === index ? first : undefined;
  }

  packument(name: string): Promise<Record<string, unknown>> {
    return this.json(name.startsWith('@') ? name.replace('/', '%2f') : encodeURIComponent(name));
  }

  async inclusionProof(index: number, size: number): Promise<string[]> {
    return (await this.json<{ proof: string[] }>(`-/tlog/proof/inclusion?index=${index}&size=${size}`)).proof;
  }

  async consistencyProof(oldSize: number, newSize: number): Promise<string[]> {
    return (await this.json<{ proof: string[] }>(`-/tlog/proof/consistency?old=${oldSize}&new=${newSize}`)).proof;
  }

  /** A C2SP tile or entry bundle, by its path (`tile/0/000.p/6`, `tile/entries/000`). */
  tile(path: string): Promise<Uint8Array> {
    return this.bytes(`-/tlog/${path}`);
  }
}
