import type { Clock } from '../domain/ports.js';
import type { SecurityEvent, SecurityEventContext, SecurityEventKind, SecurityEventStore } from '../domain/security-event.js';

/** The per-user security event log the account page shows (issue 3), newest first. */
export class SecurityEvents {
  constructor(private readonly deps: { store: SecurityEventStore; clock: Clock }) {}

  /** `userId` null: the attempt named no account (the operator still sees it). */
  recordSecurityEvent(userId: number | null, kind: SecurityEventKind, context: SecurityEventContext = {}): Promise<SecurityEvent> {
    return this.deps.store.insert({
      userId, kind, ip: context.ip ?? null, userAgent: context.userAgent?.slice(0, 300) ?? null,
      detail: context.detail ?? {}, createdAt: this.deps.clock.now(),
    });
  }

  listSecurityEvents(userId: number, options: { limit?: number; before?: number } = {}): Promise<SecurityEvent[]> {
    return this.deps.store.listForUser(userId, Math.min(Math.max(options.limit ?? 50, 1), 500), options.before);
  }
}
