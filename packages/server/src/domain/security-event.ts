/** What happened; the list is closed so the UI can name each kind. */
export type SecurityEventKind =
  | 'password-changed'
  | 'password-reset'
  | 'password-reset-requested'
  | 'password-failed'
  | 'password-leaked'
  | 'sign-in'
  | 'sign-in-new-device'
  | 'second-factor-failed'
  | 'throttled'
  | 'totp-added'
  | 'totp-removed'
  | 'totp-replayed'
  | 'recovery-codes-generated'
  | 'recovery-code-used'
  | 'webauthn-added'
  | 'webauthn-removed'
  | 'email-changed'
  | 'email-change-requested'
  | 'token-created'
  | 'recovery-started'
  | 'token-leaked'
  | 'trusted-publisher-changed';

export interface SecurityEventContext {
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  /** Short facts (e.g. `{ step: 'password' }`); never a secret. */
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface SecurityEvent {
  readonly id: number;
  /** Null when the attempt named no existing account (kept for the operator, never shown to users). */
  readonly userId: number | null;
  readonly kind: SecurityEventKind;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  readonly createdAt: Date;
}

export interface SecurityEventStore {
  insert(event: Omit<SecurityEvent, 'id'>): Promise<SecurityEvent>;
  /** Newest first; `before` is an id for paging. */
  listForUser(userId: number, limit: number, before?: number): Promise<SecurityEvent[]>;
}
