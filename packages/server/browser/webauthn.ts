// The only script of the web UI (bundled by scripts/build-browser.mjs, served as a hashed static
// file, so the CSP stays `script-src 'self'`). Buttons carrying data-webauthn run a WebAuthn
// ceremony: fetch options from data-options, ask the authenticator, post the answer to
// data-verify, then follow the { redirect } the server answers. The challenge never leaves the
// server's side except inside the options; the CSRF token travels in a header.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';

interface Answer {
  readonly redirect?: string;
  readonly error?: string;
}

async function post(url: string, csrf: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body ?? {}),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(typeof json.error === 'string' ? json.error : `The server answered ${response.status}.`);
  return json;
}

function showError(button: HTMLElement, message: string): void {
  const target = document.getElementById(button.dataset.error ?? 'webauthn-error');
  if (!target) return;
  target.textContent = message;
  target.hidden = false;
}

async function run(button: HTMLButtonElement): Promise<void> {
  const csrf = button.dataset.csrf ?? '';
  const kind = button.dataset.webauthn;
  const extra: Record<string, string> = {};
  if (button.dataset.nameInput) {
    const input = document.querySelector<HTMLInputElement>(button.dataset.nameInput);
    extra.name = input?.value ?? '';
  }
  const options = await post(button.dataset.options ?? '', csrf, extra);
  const response = kind === 'register'
    ? await startRegistration({ optionsJSON: options as never })
    : await startAuthentication({ optionsJSON: options as never });
  const answer = (await post(button.dataset.verify ?? '', csrf, { ...extra, response })) as Answer;
  if (answer.redirect) window.location.assign(answer.redirect);
}

for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-webauthn]'))) {
  if (!browserSupportsWebAuthn()) {
    showError(button, 'This browser does not support security keys or passkeys.');
    continue;
  }
  button.hidden = false;
  button.addEventListener('click', (event) => {
    event.preventDefault();
    button.disabled = true;
    run(button).catch((err: unknown) => {
      showError(button, err instanceof Error ? err.message : String(err));
    }).finally(() => {
      button.disabled = false;
    });
  });
}
