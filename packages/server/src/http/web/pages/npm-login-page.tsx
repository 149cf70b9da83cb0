import { CsrfField, Layout, type PageFrame } from '../layout.js';
import { WebAuthnButton, WebAuthnError } from './webauthn-button.js';

/**
 * The browser half of `npm login` (web flow). `action` null: the link is dead, no form. Signed in:
 * one button allows npm in. Otherwise the same ways in as the main sign-in: password (then the
 * second factor) or a passkey.
 */
export function NpmLoginPage(props: { frame: PageFrame; action: string | null; error?: string | undefined; done?: boolean; signedInAs?: string | null }): JSX.Element {
  const base = props.frame.base;
  return (
    <Layout frame={props.frame} title="Sign in for npm">
      <h1>Sign in for npm</h1>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      {props.done ? (
        <p class="notice good" id="done">You are signed in. Return to your terminal: npm has your token.</p>
      ) : props.action === null ? '' : props.signedInAs ? (
        <form method="post" action={props.action}>
          <p safe>{`The npm CLI asked to sign in as ${props.signedInAs}. Only continue if you started npm login just now.`}</p>
          <CsrfField token={props.frame.csrf} />
          <input type="hidden" name="approve" value="1" />
          <p><button type="submit" id="allow-npm">Allow npm to sign in</button></p>
        </form>
      ) : (
        <>
          <form method="post" action={props.action}>
            <p>The npm CLI asked to sign in. Only continue if you started <code>npm login</code> just now.</p>
            <CsrfField token={props.frame.csrf} />
            <label for="username">User name</label>
            <input id="username" name="username" autocomplete="username" required />
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <p><button type="submit" id="sign-in">Sign in</button></p>
          </form>
          <WebAuthnButton frame={props.frame} kind="authenticate" id="passkey-sign-in" label="Sign in with a passkey"
            options={`${base}/-/ui/sign-in/passkey/options`} verify={`${base}/-/ui/sign-in/passkey/verify?next=${encodeURIComponent(props.action)}`} />
          <WebAuthnError />
        </>
      )}
    </Layout>
  );
}
