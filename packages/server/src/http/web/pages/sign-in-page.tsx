import { CsrfField, Layout, type PageFrame } from '../layout.js';
import type { FactorSummary } from '../../../services/web-sign-in.js';
import { WebAuthnButton, WebAuthnError } from './webauthn-button.js';

function Problem(props: { error?: string | undefined; notice?: string | undefined }): JSX.Element {
  return (
    <>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      {props.notice ? <p class="notice good" role="status" id="notice" safe>{props.notice}</p> : ''}
    </>
  );
}

/** Step 1: password, or a passkey alone (discoverable credential, user verification). */
export function SignInPage(props: {
  frame: PageFrame; next: string; error?: string | undefined; notice?: string | undefined; userName?: string | undefined; registrationOpen?: boolean;
  /** Where the password form posts (the npm login page posts to itself). */
  action?: string;
}): JSX.Element {
  const base = props.frame.base;
  return (
    <Layout frame={props.frame} title="Sign in">
      <h1>Sign in</h1>
      <Problem error={props.error} notice={props.notice} />
      <form method="post" action={props.action ?? `${base}/-/ui/sign-in`}>
        <CsrfField token={props.frame.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <label for="username">User name</label>
        <input id="username" name="username" autocomplete="username webauthn" required value={props.userName ?? ''} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <p><button type="submit" id="sign-in">Sign in</button></p>
      </form>
      <WebAuthnButton frame={props.frame} kind="authenticate" id="passkey-sign-in" label="Sign in with a passkey"
        options={`${base}/-/ui/sign-in/passkey/options`} verify={`${base}/-/ui/sign-in/passkey/verify?next=${encodeURIComponent(props.next)}`} />
      <WebAuthnError />
      <p>
        <a href={`${base}/-/ui/password-reset`} id="forgot">Forgot your password?</a>
        {props.registrationOpen ? <> · <a href={`${base}/-/ui/sign-up`} id="sign-up-link">Create an account</a></> : ''}
      </p>
    </Layout>
  );
}

/** Step 2: one of the user's second factors. */
export function SecondFactorPage(props: { frame: PageFrame; userName: string; next: string; factors: FactorSummary; error?: string | undefined }): JSX.Element {
  const base = props.frame.base;
  return (
    <Layout frame={props.frame} title="Second factor">
      <h1>Confirm it is you</h1>
      <p safe>{`Signing in as ${props.userName}.`}</p>
      <Problem error={props.error} />
      {props.factors.webauthn > 0 ? (
        <section>
          <h2>Security key or passkey</h2>
          <WebAuthnButton frame={props.frame} kind="authenticate" id="second-factor-key" label="Use a security key or passkey"
            options={`${base}/-/ui/sign-in/webauthn/options`} verify={`${base}/-/ui/sign-in/webauthn/verify?next=${encodeURIComponent(props.next)}`} />
          <WebAuthnError />
        </section>
      ) : ''}
      {props.factors.totp ? (
        <form method="post" action={`${base}/-/ui/sign-in/totp`}>
          <h2>Authenticator app</h2>
          <CsrfField token={props.frame.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <label for="code">Six-digit code</label>
          <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required />
          <p><button type="submit" id="verify-totp">Verify</button></p>
        </form>
      ) : ''}
      {props.factors.recoveryCodes > 0 ? (
        <form method="post" action={`${base}/-/ui/sign-in/recovery-code`}>
          <h2>Recovery code</h2>
          <CsrfField token={props.frame.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <label for="recovery-code">A recovery code you saved (each works once)</label>
          <input id="recovery-code" name="code" autocomplete="off" required />
          <p><button type="submit" class="secondary" id="use-recovery-code">Use recovery code</button></p>
        </form>
      ) : ''}
    </Layout>
  );
}

/** A new password: forced after a breach, or from a reset link. */
export function NewPasswordPage(props: { frame: PageFrame; title: string; intro: string; action: string; next?: string; error?: string | undefined }): JSX.Element {
  return (
    <Layout frame={props.frame} title={props.title}>
      <h1 safe>{props.title}</h1>
      <p safe>{props.intro}</p>
      <Problem error={props.error} />
      <form method="post" action={props.action}>
        <CsrfField token={props.frame.csrf} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : ''}
        <label for="new-password">New password (at least 10 characters; a passphrase is good)</label>
        <input id="new-password" name="password" type="password" autocomplete="new-password" minlength="10" required />
        <p><button type="submit" id="set-password">Set password</button></p>
      </form>
    </Layout>
  );
}

/** A short outcome ("check your mail", "confirmed", "approved"). */
export function MessagePage(props: { frame: PageFrame; title: string; message: string; good?: boolean; link?: { href: string; text: string } }): JSX.Element {
  return (
    <Layout frame={props.frame} title={props.title}>
      <h1 safe>{props.title}</h1>
      <p class={`notice ${props.good === false ? 'bad' : 'good'}`} role="status" id="message" safe>{props.message}</p>
      {props.link ? <p><a href={props.link.href} id="continue" safe>{props.link.text}</a></p> : ''}
    </Layout>
  );
}
