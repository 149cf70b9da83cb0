import { CsrfField, Layout, type PageFrame } from '../layout.js';

/** AUTHZ-1a: create a granular token in the browser; the password and a second factor confirm it. */
export function NewTokenPage(props: { frame: PageFrame; error?: string | undefined; created?: string | undefined; hasSecondFactor: boolean }): JSX.Element {
  const { frame } = props;
  return (
    <Layout frame={frame} title="New access token">
      <h1>New access token</h1>
      {props.created ? (
        <div class="notice good" role="status">
          <p>Your new token. Copy it now: it is shown only once and stored only as a hash.</p>
          <p><code id="new-token" safe>{props.created}</code></p>
          <p><a href={`${frame.base}/-/ui/account`}>Back to your account</a></p>
        </div>
      ) : !props.hasSecondFactor ? (
        <p class="notice warn" id="need-factor">Creating tokens needs a second factor. <a href={`${frame.base}/-/ui/account/security`}>Set one up</a> first.</p>
      ) : (
        <form method="post" action={`${frame.base}/-/ui/account/tokens/new`}>
          {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
          <CsrfField token={frame.csrf} />
          <label for="name">Name</label>
          <input id="name" name="name" maxlength="100" />
          <label for="packages">Packages (names or patterns like <code>@acme/*</code>, comma-separated; empty: all)</label>
          <input id="packages" name="packages" />
          <label for="permission">Access</label>
          <select id="permission" name="permission">
            <option value="read-write">read and publish</option>
            <option value="read-only">read only</option>
          </select>
          <label for="cidr">Allowed addresses (CIDR, comma-separated; empty: anywhere)</label>
          <input id="cidr" name="cidr" />
          <label for="expires">Expires after (days, 1–365)</label>
          <input id="expires" name="expires" value="30" inputmode="numeric" />
          <label for="password">Your password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <label for="otp">Code from your authenticator app (or a recovery code)</label>
          <input id="otp" name="otp" autocomplete="one-time-code" required />
          <p><button type="submit" id="create-token">Create token</button></p>
        </form>
      )}
    </Layout>
  );
}
