import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock, MetadataStore } from '../domain/ports.js';
import type { UserRecord, WebSessionRecord } from '../domain/records.js';

export interface WebSessionOptions {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  readonly maxMs: number;
}

export interface ActiveSession {
  readonly session: WebSessionRecord;
  readonly user: UserRecord;
}

export interface ClientInfo {
  readonly ip: string;
  readonly userAgent: string;
}

/** How often last_seen_at is written: a page view is not worth a write each time. */
const TOUCH_EVERY_MS = 60_000;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/**
 * Browser sessions. The cookie carries 256 random bits; the database keeps only their SHA-256,
 * so a database reader cannot ride a session. A new session (new secret) is issued at every
 * sign-in and privilege change, never reused, so a fixated or leaked pre-sign-in cookie is worth
 * nothing.
 */
export class WebSessions {
  constructor(private readonly deps: { store: MetadataStore; clock: Clock; options: WebSessionOptions }) {}

  /** Signs a user in: returns the cookie value. */
  async start(userId: number, aal: 1 | 2, client: ClientInfo): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.store.insertWebSession({
      id: randomUUID(), secretHash: hashSecret(secret), userId, aal, createdAt: now, lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.deps.options.maxMs),
      ip: client.ip.slice(0, 64), userAgent: client.userAgent.slice(0, 300),
    });
    return secret;
  }

  /** The live session behind a cookie value, or null (unknown, idle too long, expired). */
  async resume(cookieValue: string | undefined): Promise<ActiveSession | null> {
    if (!cookieValue || !SECRET.test(cookieValue)) return null;
    const session = await this.deps.store.findWebSessionBySecretHash(hashSecret(cookieValue));
    if (!session) return null;
    const now = this.deps.clock.now().getTime();
    if (session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + this.deps.options.idleMs <= now) {
      await this.deps.store.deleteWebSession(session.userId, session.id);
      return null;
    }
    const user = await this.deps.store.findUserById(session.userId);
    if (!user) return null;
    if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await this.deps.store.touchWebSession(session.id, new Date(now));
    return { session, user };
  }

  /** Replaces a session by a new one (privilege change, e.g. a second factor passed). */
  async rotate(current: WebSessionRecord, aal: 1 | 2, client: ClientInfo): Promise<string> {
    await this.deps.store.deleteWebSession(current.userId, current.id);
    return this.start(current.userId, aal, client);
  }

  async end(session: WebSessionRecord): Promise<void> {
    await this.deps.store.deleteWebSession(session.userId, session.id);
  }

  list(userId: number): Promise<WebSessionRecord[]> {
    return this.deps.store.listWebSessions(userId);
  }

  /** Ends one of the user's own sessions by its public id. */
  endById(userId: number, id: string): Promise<boolean> {
    return this.deps.store.deleteWebSession(userId, id);
  }

  /** "Sign out everywhere else", and what a password change does. */
  endOthers(userId: number, keepId: string | null): Promise<number> {
    return this.deps.store.deleteWebSessionsOf(userId, keepId);
  }
}
