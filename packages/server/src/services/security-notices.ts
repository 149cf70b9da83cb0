import type { SecurityEventContext, SecurityEventKind } from '../domain/security-event.js';
import type { Clock } from '../domain/ports.js';
import type { MailOutbox } from './mail-outbox.js';
import type { SecurityEvents } from './security-events.js';
import { securityMail, type SecurityMailFacts, type SecurityMailKind } from './security-mail.js';

export type NoticeFacts = Omit<SecurityMailFacts, 'to' | 'userName' | 'registry' | 'at' | 'accountUrl'>;

/**
 * One call per critical account change (AUTHN-1d): the mail is queued in the outbox and, when an
 * event kind is given, the change is recorded in the user's security log with the same facts.
 */
export class SecurityNotices {
  constructor(private readonly deps: { outbox: MailOutbox; events: SecurityEvents; clock: Clock; registry: string; accountUrl: string }) {}

  async notify(
    user: { id: number; name: string; email: string },
    mail: SecurityMailKind,
    facts: NoticeFacts & { to?: string } = {},
    event: SecurityEventKind | null = null,
    detail: SecurityEventContext['detail'] = {},
  ): Promise<void> {
    if (event) await this.deps.events.recordSecurityEvent(user.id, event, { ip: facts.ip ?? null, userAgent: facts.userAgent ?? null, detail });
    const message = securityMail(mail, {
      ...facts, to: facts.to ?? user.email, userName: user.name, registry: this.deps.registry, at: this.deps.clock.now(), accountUrl: this.deps.accountUrl,
    });
    await this.deps.outbox.enqueue(mail, message);
  }
}
