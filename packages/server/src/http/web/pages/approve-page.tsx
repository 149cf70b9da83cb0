import { CsrfField, Layout, type PageFrame } from '../layout.js';
import { WebAuthnButton, WebAuthnError } from './webauthn-button.js';

/** AUTHN-3b: approve one npm write with a fresh second factor. */
export function ApprovePage(props: {
  frame: PageFrame; id: string; what: string; totp: boolean; webauthn: boolean; critical: boolean; approved: boolean; error?: string | undefined;
}): JSX.Element {
  const base = `${props.frame.base}/-/ui/approve/${props.id}`;
  return (
    <Layout frame={props.frame} title="Approve npm command">
      <h1>Approve an npm command</h1>
      <p>npm asks to: <strong id="what" safe>{props.what}</strong></p>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      {props.approved ? (
        <p class="notice good" role="status" id="approved">Approved. Return to your terminal: npm continues by itself.</p>
      ) : (
        <>
          <p>Only approve if you ran this command just now.</p>
          {props.critical ? <p class="notice" id="critical">This package is critical: only a security key or passkey can approve writes to it.</p> : ''}
          {props.webauthn ? (
            <p>
              <WebAuthnButton frame={props.frame} kind="authenticate" id="approve-webauthn" label="Approve with a security key or passkey"
                options={`${base}/webauthn/options`} verify={`${base}/webauthn/verify`} />
            </p>
          ) : ''}
          <WebAuthnError />
          {props.totp ? (
            <form method="post" action={`${base}/totp`}>
              <CsrfField token={props.frame.csrf} />
              <label for="code">Code from your authenticator app</label>
              <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required />
              <p><button type="submit" id="approve-totp">Approve</button></p>
            </form>
          ) : ''}
          {!props.totp && !props.webauthn ? (
            <p class="notice bad" id="no-factor">{props.critical
              ? 'Your account has no security key or passkey, which writes to this critical package need; add one on the account security page.'
              : 'Your account has no second factor to approve with; add one on the account security page.'}</p>
          ) : ''}
        </>
      )}
    </Layout>
  );
}
