import type { MailOutboxStore } from './mail.js';
import type { SecurityEventStore } from './security-event.js';
import type { TotpStore } from './totp-store.js';
import type { WebAuthnCredentialStore } from './webauthn-store.js';
import type { WebAuthStore } from './web-auth-store.js';

/** The account-security stores (issue 3), kept in the same database as the metadata. */
export interface AuthStores {
  readonly outbox: MailOutboxStore;
  readonly totp: TotpStore;
  readonly securityEvents: SecurityEventStore;
  readonly webauthn: WebAuthnCredentialStore;
  /** Web sign-up, mailed links, sign-in flows, known devices, npm OTP approvals. */
  readonly web: WebAuthStore;
}
