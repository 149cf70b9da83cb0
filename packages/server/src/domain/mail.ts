/** One plain-text message, as the outbox stores it and a transport sends it. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** A queued message with its delivery state. */
export interface OutboxRecord extends MailMessage {
  readonly id: number;
  /** What the message is about (e.g. `password-changed`); for logs and tests, never shown to users. */
  readonly kind: string;
  readonly createdAt: Date;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly sentAt: Date | null;
  readonly failedAt: Date | null;
  readonly lastError: string | null;
}

/** Sends one message; throws if the message was not accepted (the outbox retries). */
export interface MailTransport {
  send(message: MailMessage & { readonly from: string }): Promise<void>;
  close?(): Promise<void>;
}

/** The outbox table (AUTHN-1d): mail is stored first, delivered later, and never lost on restart. */
export interface MailOutboxStore {
  enqueue(kind: string, message: MailMessage, at: Date): Promise<number>;
  /**
   * Claims up to `limit` due messages (unsent, not given up, next attempt <= now) by moving their
   * next attempt to `leaseUntil`, so a second worker does not take them while they are sent.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<OutboxRecord[]>;
  markSent(id: number, at: Date): Promise<void>;
  /** Records a failed attempt; `retryAt` null gives the message up. */
  markFailed(id: number, error: string, retryAt: Date | null, at: Date): Promise<void>;
  find(id: number): Promise<OutboxRecord | null>;
  /** Newest first; for tests and an operator view. */
  list(limit: number): Promise<OutboxRecord[]>;
}
