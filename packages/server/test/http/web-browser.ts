// A tiny browser for in-process web UI tests: a cookie jar over app.inject, forms posted with the
// CSRF token of the page they come from. Not a test file.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';

/** A tiny browser: a cookie jar over app.inject, forms posted with the page's CSRF token. */
export class Browser {
  private readonly jar = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const res = await this.app.inject({
      method, url,
      headers: {
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });
    const set = res.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name!.trim());
      else this.jar.set(name!.trim(), rest.join('='));
    }
    return res;
  }

  /** GETs `page`, then posts `form` (plus the CSRF token the page carries) to `action`. */
  async submit(page: string, action: string, form: Record<string, string>) {
    const html = (await this.request('GET', page)).body;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(csrf, `no CSRF token on ${page}`);
    return this.request('POST', action, { ...form, _csrf: csrf });
  }
}

