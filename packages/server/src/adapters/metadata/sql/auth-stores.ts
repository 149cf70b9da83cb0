import type { Kysely } from 'kysely';
import type { AuthStores } from '../../../domain/auth-stores.js';
import { SqlMailOutboxStore } from './mail-outbox-store.js';
import { SqlSecurityEventStore } from './security-event-store.js';
import { SqlTotpStore } from './totp-store.js';
import { SqlWebAuthnCredentialStore } from './webauthn-store.js';
import { SqlWebAuthStore } from './web-auth-store.js';
import type { Database } from './schema.js';

export function sqlAuthStores(db: Kysely<Database>): AuthStores {
  return {
    outbox: new SqlMailOutboxStore(db),
    totp: new SqlTotpStore(db),
    securityEvents: new SqlSecurityEventStore(db),
    webauthn: new SqlWebAuthnCredentialStore(db),
    web: new SqlWebAuthStore(db),
  };
}
