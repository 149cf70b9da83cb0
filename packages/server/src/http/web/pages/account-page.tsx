import type { TokenRecord, WebSessionRecord } from '../../../domain/records.js';
import { CsrfField, Layout, type PageFrame } from '../layout.js';

export interface AccountView {
  readonly name: string;
  readonly email: string;
  readonly currentSessionId: string;
  readonly sessions: readonly WebSessionRecord[];
  readonly tokens: readonly TokenRecord[];
  readonly notice?: string | undefined;
}

const when = (d: Date | null): string => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '');

/** The signed-in user's account: sessions (end one or all others) and tokens (revoke). */
export function AccountPage(props: { frame: PageFrame; view: AccountView }): JSX.Element {
  const { view, frame } = props;
  const liveTokens = view.tokens.filter((t) => !t.revokedAt);
  return (
    <Layout frame={frame} title="Your account">
      <h1 safe>{view.name}</h1>
      {view.notice ? <p class="notice good" role="status" id="notice" safe>{view.notice}</p> : ''}
      <dl class="facts">
        <dt>Email</dt>
        <dd safe>{view.email}</dd>
      </dl>

      <p><a href={`${frame.base}/-/ui/account/security`} id="security-link">Account security: password, second factors, security log</a></p>

      <h2>Active sessions</h2>
      <table id="sessions">
        <thead><tr><th>Signed in</th><th>Last seen</th><th>From</th><th>Browser</th><th></th></tr></thead>
        <tbody>
          {view.sessions.map((s) => (
            <tr>
              <td safe>{when(s.createdAt)}</td>
              <td safe>{when(s.lastSeenAt)}</td>
              <td class="mono" safe>{s.ip}</td>
              <td safe>{s.userAgent.slice(0, 80)}</td>
              <td>
                {s.id === view.currentSessionId ? (
                  <span class="badge good">this browser</span>
                ) : (
                  <form method="post" class="inline" action={`${frame.base}/-/ui/account/sessions/${s.id}/end`}>
                    <CsrfField token={frame.csrf} />
                    <button type="submit" class="secondary">End</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.sessions.length > 1 ? (
        <form method="post" action={`${frame.base}/-/ui/account/sessions/end-others`}>
          <CsrfField token={frame.csrf} />
          <button type="submit" class="secondary" id="end-others">Sign out all other sessions</button>
        </form>
      ) : ''}

      <h2>Access tokens</h2>
      <p><a href={`${frame.base}/-/ui/account/tokens/new`} id="new-token-link">Create a token</a></p>
      {liveTokens.length === 0 ? (
        <p class="muted">No active tokens.</p>
      ) : (
        <table id="tokens">
          <thead><tr><th>Token</th><th>Name</th><th>Access</th><th>Created</th><th>Last used</th><th>Expires</th><th></th></tr></thead>
          <tbody>
            {liveTokens.map((t) => (
              <tr>
                <td class="mono" safe>{t.display}</td>
                <td safe>{t.name ?? ''}</td>
                <td safe>{`${t.readOnly ? 'read-only' : 'read and publish'}${t.packages.length || t.scopes.length ? ` · ${[...t.packages, ...t.scopes].join(', ')}` : ''}${t.cidrs.length ? ` · from ${t.cidrs.join(', ')}` : ''}`}</td>
                <td safe>{when(t.createdAt)}</td>
                <td safe>{when(t.lastUsedAt) || 'never'}</td>
                <td safe>{when(t.expiresAt) || 'never'}</td>
                <td>
                  <form method="post" class="inline" action={`${frame.base}/-/ui/account/tokens/${t.id}/revoke`}>
                    <CsrfField token={frame.csrf} />
                    <button type="submit" class="secondary">Revoke</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
