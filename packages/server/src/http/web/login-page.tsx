/** The browser half of `npm login` (web flow). Server-rendered; no script, strict CSP. */
export function LoginPage(props: { action: string; error?: string | undefined; done?: boolean }): string {
  return (
    '<!doctype html>' +
    (
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Sign in to Bulwark</title>
          <style>{'body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font-size:1rem}button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}.error{color:#a00}'}</style>
        </head>
        <body>
          <h1>Sign in to Bulwark</h1>
          {props.done ? (
            <p id="done">You are signed in. Return to your terminal: npm has your token.</p>
          ) : (
            <form method="post" action={props.action}>
              <p>The npm CLI asked to sign in. Only continue if you started <code>npm login</code> just now.</p>
              {props.error ? <p class="error" role="alert" safe>{props.error}</p> : ''}
              <label for="username">User name</label>
              <input id="username" name="username" autocomplete="username" required />
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required />
              <button type="submit">Sign in</button>
            </form>
          )}
        </body>
      </html>
    )
  );
}
