import type { SecurityEvent } from '../../../domain/security-event.js';
import type { WebAuthnCredentialRecord } from '../../../domain/webauthn-store.js';
import { CsrfField, Layout, type PageFrame } from '../layout.js';
import { WebAuthnButton, WebAuthnError } from './webauthn-button.js';

export interface SecurityView {
  readonly totp: boolean;
  readonly recoveryCodes: number;
  readonly credentials: readonly WebAuthnCredentialRecord[];
  readonly events: readonly SecurityEvent[];
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
}

const when = (d: Date | null): string => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '');

/** What each log entry means, in words. */
const EVENT_TEXT: Record<SecurityEvent['kind'], string> = {
  'password-changed': 'Password changed', 'password-reset': 'Password reset by mailed link', 'password-reset-requested': 'Password reset requested',
  'password-failed': 'Wrong password', 'password-leaked': 'Password found in a breach list', 'sign-in': 'Signed in',
  'sign-in-new-device': 'Signed in from a new device', 'second-factor-failed': 'Second factor failed', throttled: 'Attempts throttled',
  'totp-added': 'Authenticator app added', 'totp-removed': 'Authenticator app removed', 'totp-replayed': 'A used one-time code was replayed',
  'recovery-codes-generated': 'Recovery codes generated', 'recovery-code-used': 'Recovery code used', 'webauthn-added': 'Security key or passkey added',
  'webauthn-removed': 'Security key or passkey removed', 'email-changed': 'Email changed', 'email-change-requested': 'Email change requested (link mailed to the new address)', 'token-created': 'Token created', 'recovery-started': 'Account recovery started',
  'token-leaked': 'Token found in public and revoked', 'trusted-publisher-changed': 'Trusted publishers changed',
};

const detailText = (e: SecurityEvent): string => Object.entries(e.detail).map(([k, v]) => `${k}: ${String(v)}`).join(', ');

/** The account security page: password, second factors, recovery codes, and the security log. */
export function SecurityPage(props: { frame: PageFrame; userName: string; email: string; view: SecurityView }): JSX.Element {
  const { frame, view } = props;
  const base = `${frame.base}/-/ui/account/security`;
  return (
    <Layout frame={frame} title="Account security">
      <h1>Account security</h1>
      <p><a href={`${frame.base}/-/ui/account`}>Sessions and tokens</a></p>
      {view.notice ? <p class="notice good" role="status" id="notice" safe>{view.notice}</p> : ''}
      {view.error ? <p class="notice bad" role="alert" id="error" safe>{view.error}</p> : ''}

      <h2>Password</h2>
      <form method="post" action={`${base}/password`} id="change-password">
        <CsrfField token={frame.csrf} />
        <input type="text" name="username" autocomplete="username" value={props.userName} hidden />
        <label for="current-password">Current password</label>
        <input id="current-password" name="current" type="password" autocomplete="current-password" required />
        <label for="new-password">New password</label>
        <input id="new-password" name="password" type="password" autocomplete="new-password" minlength="10" required />
        <p><button type="submit" id="change-password-button">Change password</button></p>
      </form>

      <h2>Email address</h2>
      <p>Mail about your account and password resets go to <strong id="current-email" safe>{props.email}</strong>.</p>
      <form method="post" action={`${base}/email`} id="change-email">
        <CsrfField token={frame.csrf} />
        <input type="text" name="username" autocomplete="username" value={props.userName} hidden />
        <label for="new-email">New email address</label>
        <input id="new-email" name="email" type="email" autocomplete="email" maxlength="254" required />
        <label for="email-password">Current password</label>
        <input id="email-password" name="current" type="password" autocomplete="current-password" required />
        <p><button type="submit" id="change-email-button">Send a confirmation link</button></p>
      </form>

      <h2>Authenticator app</h2>
      {view.totp ? (
        <>
          <p id="totp-status">On. <span safe>{`${view.recoveryCodes} unused recovery code(s).`}</span></p>
          <form method="post" class="inline" action={`${base}/recovery-codes`}>
            <CsrfField token={frame.csrf} />
            <button type="submit" class="secondary" id="regenerate-codes">Make new recovery codes</button>
          </form>{' '}
          <form method="post" action={`${base}/totp/remove`} id="totp-off">
            <CsrfField token={frame.csrf} />
            <input type="text" name="username" autocomplete="username" value={props.userName} hidden />
            <label for="totp-off-password">Current password, to turn the authenticator app off</label>
            <input id="totp-off-password" name="current" type="password" autocomplete="current-password" required />
            <p><button type="submit" class="secondary" id="remove-totp">Turn off</button></p>
          </form>
        </>
      ) : (
        <form method="post" action={`${base}/totp`}>
          <p id="totp-status">Off.</p>
          <CsrfField token={frame.csrf} />
          <button type="submit" id="enrol-totp">Set up an authenticator app</button>
        </form>
      )}

      <h2>Security keys and passkeys</h2>
      {view.credentials.length === 0 ? <p class="muted">None yet.</p> : (
        <table id="credentials">
          <thead><tr><th>Name</th><th>Kind</th><th>Added</th><th>Last used</th></tr></thead>
          <tbody>
            {view.credentials.map((c) => (
              <tr>
                <td safe>{c.name}</td>
                <td>{c.discoverable ? 'passkey' : 'security key'}</td>
                <td safe>{when(c.createdAt)}</td>
                <td safe>{when(c.lastUsedAt) || 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.credentials.length === 0 ? '' : (
        <form method="post" action={`${base}/webauthn/remove`} id="remove-credential">
          <CsrfField token={frame.csrf} />
          <input type="text" name="username" autocomplete="username" value={props.userName} hidden />
          <label for="remove-credential-id">Remove a key</label>
          <select id="remove-credential-id" name="id">
            {view.credentials.map((c) => <option value={c.id} safe>{`${c.name} (${c.discoverable ? 'passkey' : 'security key'})`}</option>)}
          </select>
          <label for="remove-credential-password">Current password</label>
          <input id="remove-credential-password" name="current" type="password" autocomplete="current-password" required />
          <p><button type="submit" class="secondary" id="remove-credential-button">Remove</button></p>
        </form>
      )}
      <label for="credential-name">Name for a new key</label>
      <input id="credential-name" name="name" maxlength="64" placeholder="e.g. YubiKey on my keyring" />
      <p>
        <WebAuthnButton frame={frame} kind="register" id="add-security-key" label="Add a security key" nameInput="#credential-name"
          options={`${base}/webauthn/security-key/options`} verify={`${base}/webauthn/security-key/verify`} />{' '}
        <WebAuthnButton frame={frame} kind="register" id="add-passkey" label="Add a passkey" nameInput="#credential-name"
          options={`${base}/webauthn/passkey/options`} verify={`${base}/webauthn/passkey/verify`} />
      </p>
      <WebAuthnError />

      <h2>Security log</h2>
      <table id="security-log">
        <thead><tr><th>When</th><th>What</th><th>From</th><th>Details</th></tr></thead>
        <tbody>
          {view.events.map((e) => (
            <tr data-kind={e.kind}>
              <td safe>{when(e.createdAt)}</td>
              <td safe>{EVENT_TEXT[e.kind] ?? e.kind}</td>
              <td class="mono" safe>{e.ip ?? ''}</td>
              <td safe>{detailText(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** TOTP enrolment: QR code (an image from a data: URL, allowed by the CSP) and the confirming code. */
export function TotpEnrolPage(props: { frame: PageFrame; qrSvg: string; secret: string; error?: string | undefined }): JSX.Element {
  const base = `${props.frame.base}/-/ui/account/security`;
  return (
    <Layout frame={props.frame} title="Set up an authenticator app">
      <h1>Set up an authenticator app</h1>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      <p>Scan this code with your authenticator app, or type the key by hand.</p>
      <p class="qr"><img alt="QR code for the authenticator app" src={`data:image/svg+xml;base64,${Buffer.from(props.qrSvg).toString('base64')}`} /></p>
      <p>Key: <code id="totp-secret" safe>{props.secret}</code></p>
      <form method="post" action={`${base}/totp/confirm`}>
        <CsrfField token={props.frame.csrf} />
        <label for="code">The six-digit code the app shows now</label>
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required />
        <p><button type="submit" id="confirm-totp">Turn on</button></p>
      </form>
    </Layout>
  );
}

/** Recovery codes, shown once (never again: only hashes are stored). */
export function RecoveryCodesPage(props: { frame: PageFrame; codes: readonly string[] }): JSX.Element {
  return (
    <Layout frame={props.frame} title="Recovery codes">
      <h1>Save your recovery codes</h1>
      <p class="notice warn">These codes are shown once. Each works once, instead of your authenticator app or key. Keep them somewhere safe.</p>
      <ul class="codes" id="recovery-codes">
        {props.codes.map((c) => <li safe>{c}</li>)}
      </ul>
      <p><a href={`${props.frame.base}/-/ui/account/security`} id="done">I saved them</a></p>
    </Layout>
  );
}
