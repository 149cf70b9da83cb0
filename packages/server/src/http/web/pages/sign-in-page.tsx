import { CsrfField, Layout, type PageFrame } from '../layout.js';

/** Password sign-in. The second-factor step follows on its own page once a factor is enrolled. */
export function SignInPage(props: { frame: PageFrame; next: string; error?: string | undefined; userName?: string | undefined }): JSX.Element {
  return (
    <Layout frame={props.frame} title="Sign in">
      <h1>Sign in</h1>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      <form method="post" action={`${props.frame.base}/-/ui/sign-in`}>
        <CsrfField token={props.frame.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <label for="username">User name</label>
        <input id="username" name="username" autocomplete="username" required value={props.userName ?? ''} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <p><button type="submit" id="sign-in">Sign in</button></p>
      </form>
    </Layout>
  );
}
