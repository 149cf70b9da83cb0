import { CsrfField, Layout, type PageFrame } from '../layout.js';

/** Open registration (AUTHN-1a): the account works once the mailed link is opened. */
export function SignUpPage(props: { frame: PageFrame; error?: string | undefined; userName?: string; email?: string }): JSX.Element {
  return (
    <Layout frame={props.frame} title="Create an account">
      <h1>Create an account</h1>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      <form method="post" action={`${props.frame.base}/-/ui/sign-up`}>
        <CsrfField token={props.frame.csrf} />
        <label for="username">User name</label>
        <input id="username" name="username" autocomplete="username" required value={props.userName ?? ''} />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required value={props.email ?? ''} />
        <label for="password">Password (at least 10 characters; not one used elsewhere)</label>
        <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required />
        <p><button type="submit" id="sign-up">Create account</button></p>
      </form>
    </Layout>
  );
}

/** Password reset, step 1: the same answer whether or not the account exists. */
export function ResetRequestPage(props: { frame: PageFrame; error?: string | undefined }): JSX.Element {
  return (
    <Layout frame={props.frame} title="Reset your password">
      <h1>Reset your password</h1>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      <form method="post" action={`${props.frame.base}/-/ui/password-reset`}>
        <CsrfField token={props.frame.csrf} />
        <label for="account">User name or email</label>
        <input id="account" name="account" autocomplete="username" required />
        <p><button type="submit" id="request-reset">Mail me a reset link</button></p>
      </form>
      <p class="muted">
        Lost your second factor as well? Sign in with a recovery code, or see the{' '}
        <a href={`${props.frame.base}/-/bulwark/policies/account-recovery`}>account recovery policy</a>.
      </p>
    </Layout>
  );
}
