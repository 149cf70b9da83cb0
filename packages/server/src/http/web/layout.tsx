import type { PropsWithChildren } from '@kitajs/html';

/** What every page needs to draw the frame: where it is mounted, who is signed in, the CSRF token. */
export interface PageFrame {
  readonly base: string;
  readonly stylesheet: string;
  /** The WebAuthn script (hashed static file; acts only on buttons marked data-webauthn). */
  readonly script: string;
  readonly userName: string | null;
  /** For the sign-out form in the header (every form posts a CSRF token). */
  readonly csrf: string;
}

/** The page frame. All dynamic text is escaped (`safe`); there is no inline script or style. */
export function Layout(props: PropsWithChildren<{ frame: PageFrame; title: string }>): JSX.Element {
  const { frame } = props;
  return (
    '<!doctype html>' +
    (
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <title safe>{`${props.title} · Bulwark`}</title>
          <link rel="stylesheet" href={frame.stylesheet} />
          <script src={frame.script} defer></script>
        </head>
        <body>
          <header class="site">
            <a class="brand" href={`${frame.base}/`}>Bulwark</a>
            <form method="get" action={`${frame.base}/-/ui/search`} role="search">
              <input type="search" name="q" aria-label="Search packages" placeholder="Search packages" />
            </form>
            <nav>
              <a href={`${frame.base}/-/ui/new-package`}>New package</a>
              {frame.userName ? (
                <>
                  <a href={`${frame.base}/-/ui/account`} id="account-link" safe>{frame.userName}</a>
                  <form method="post" action={`${frame.base}/-/ui/sign-out`}>
                    <input type="hidden" name="_csrf" value={frame.csrf} />
                    <button type="submit" class="link" id="sign-out">Sign out</button>
                  </form>
                </>
              ) : (
                <a href={`${frame.base}/-/ui/sign-in`} id="sign-in-link">Sign in</a>
              )}
            </nav>
          </header>
          <main>{props.children}</main>
          <footer class="site">
            <a href={`${frame.base}/-/security/policy`}>Security policy</a> ·{' '}
            <a href={`${frame.base}/-/bulwark/policies/account-recovery`}>Account recovery</a> ·{' '}
            <a href={`${frame.base}/.well-known/security.txt`}>security.txt</a> ·{' '}
            <a href={`${frame.base}/-/tlog/checkpoint`}>Transparency log</a>
          </footer>
        </body>
      </html>
    )
  );
}

/** A hidden CSRF field for a form. */
export function CsrfField(props: { token: string }): JSX.Element {
  return <input type="hidden" name="_csrf" value={props.token} />;
}
