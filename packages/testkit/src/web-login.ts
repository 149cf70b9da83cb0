// Completes a registry web login out-of-band, the way a person would in a browser: load the
// login page, fill the form's username/password (keeping hidden fields and cookies), submit.

export interface WebLoginResult {
  status: number;
  text: string;
  /** The form fields that were posted (password masked). */
  posted: Record<string, string>;
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function attr(tag: string, name: string): string | undefined {
  const re = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');
  const m = re.exec(tag);
  if (!m) return undefined;
  return decodeEntities(m[1] ?? m[2] ?? m[3] ?? '');
}

/** Cookie header value from the Set-Cookie headers of a response. */
function cookiesOf(res: Response): string {
  const list = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
  return list.map((c) => c.split(';')[0]).filter(Boolean).join('; ');
}

export async function completeWebLogin(loginUrl: string, username: string, password: string): Promise<WebLoginResult> {
  const page = await fetch(loginUrl, { headers: { accept: 'text/html' }, redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET ${loginUrl} -> ${page.status}: ${html.slice(0, 500)}`);
  const cookie = cookiesOf(page);
  // The sign-in form (the page also has a search form and maybe a sign-out form).
  const formMatch = [...html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)].find((m) => /name="password"/.test(m[1] ?? ''));
  const formTag = formMatch ? (/<form\b[^>]*>/i.exec(formMatch[0])?.[0] ?? '') : '';
  const formBody = formMatch ? formMatch[1] ?? '' : html;
  const fields: Record<string, string> = {};
  for (const m of formBody.matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (!name) continue;
    const type = (attr(tag, 'type') ?? 'text').toLowerCase();
    if (type === 'submit' || type === 'button' || type === 'checkbox' || type === 'radio') continue;
    fields[name] = attr(tag, 'value') ?? '';
  }
  fields.username = username;
  fields.password = password;
  const action = formTag ? attr(formTag, 'action') : undefined;
  const target = action ? new URL(action, loginUrl).toString() : loginUrl;
  const res = await fetch(target, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      origin: new URL(loginUrl).origin,
      referer: loginUrl,
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await res.text();
  return { status: res.status, text, posted: { ...fields, password: '***' } };
}
