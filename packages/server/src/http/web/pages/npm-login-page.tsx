import { CsrfField, Layout, type PageFrame } from '../layout.js';

/** The browser half of `npm login` (web flow). `action` null: the link is dead, no form. */
export function NpmLoginPage(props: { frame: PageFrame; action: string | null; error?: string | undefined; done?: boolean }): JSX.Element {
  return (
    <Layout frame={props.frame} title="Sign in for npm">
      <h1>Sign in for npm</h1>
      {props.error ? <p class="notice bad" role="alert" id="error" safe>{props.error}</p> : ''}
      {props.done ? (
        <p class="notice good" id="done">You are signed in. Return to your terminal: npm has your token.</p>
      ) : props.action === null ? '' : (
        <form method="post" action={props.action}>
          <p>The npm CLI asked to sign in. Only continue if you started <code>npm login</code> just now.</p>
          <CsrfField token={props.frame.csrf} />
          <label for="username">User name</label>
          <input id="username" name="username" autocomplete="username" required />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <p><button type="submit">Sign in</button></p>
        </form>
      )}
    </Layout>
  );
}
