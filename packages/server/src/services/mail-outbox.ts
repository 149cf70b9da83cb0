import type { Clock } from '../domain/ports.js';
import type { MailMessage, MailOutboxStore, MailTransport } from '../domain/mail.js';

export interface MailOutboxOptions {
  readonly store: MailOutboxStore;
  readonly transport: MailTransport;
  readonly clock: Clock;
  readonly from: string;
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** How long a claimed message stays with this worker before another may retry it (a crash mid-send). */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  readonly log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface DeliveryPass {
  readonly sent: number;
  readonly retried: number;
  readonly gaveUp: number;
}

/**
 * AUTHN-1d mail delivery: `enqueue` stores the message (in the caller's flow, before anything is
 * sent); a worker sends due messages and retries failures with exponential back-off. A restart
 * loses nothing: unsent rows are due again, and rows a crashed worker held come back when their
 * lease ends.
 */
export class MailOutbox {
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly deps: MailOutboxOptions) {
    this.maxAttempts = deps.maxAttempts ?? 10;
    this.retryBaseMs = deps.retryBaseMs ?? 30_000;
    this.retryMaxMs = deps.retryMaxMs ?? 3_600_000;
    this.leaseMs = deps.leaseMs ?? 300_000;
    this.batchSize = deps.batchSize ?? 20;
  }

  /** Queues a message and wakes the worker; returns the outbox id. */
  async enqueue(kind: string, message: MailMessage): Promise<number> {
    const id = await this.deps.store.enqueue(kind, message, this.deps.clock.now());
    this.wake();
    return id;
  }

  /** The delay before attempt `attempts + 1`: base, 2x, 4x ... capped. */
  retryDelayMs(attempts: number): number {
    return Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Sends every message due now, once. The worker calls this; tests call it directly. */
  async deliverDue(): Promise<DeliveryPass> {
    let sent = 0;
    let retried = 0;
    let gaveUp = 0;
    for (;;) {
      const now = this.deps.clock.now();
      const batch = await this.deps.store.claimDue(now, new Date(now.getTime() + this.leaseMs), this.batchSize);
      if (batch.length === 0) break;
      for (const message of batch) {
        try {
          await this.deps.transport.send({ from: this.deps.from, to: message.to, subject: message.subject, text: message.text });
          await this.deps.store.markSent(message.id, this.deps.clock.now());
          sent++;
        } catch (err) {
          const attempts = message.attempts + 1;
          const error = (err as Error)?.message ?? String(err);
          const at = this.deps.clock.now();
          if (attempts >= this.maxAttempts) {
            await this.deps.store.markFailed(message.id, error, null, at);
            this.deps.log?.error({ outboxId: message.id, kind: message.kind, attempts, error }, 'mail given up after the last attempt');
            gaveUp++;
          } else {
            const retryAt = new Date(at.getTime() + this.retryDelayMs(attempts));
            await this.deps.store.markFailed(message.id, error, retryAt, at);
            this.deps.log?.warn({ outboxId: message.id, kind: message.kind, attempts, retryAt, error }, 'mail delivery failed; will retry');
            retried++;
          }
        }
      }
      if (batch.length < this.batchSize) break;
    }
    return { sent, retried, gaveUp };
  }

  /** Starts the worker: a pass now, then every `pollMs` and whenever mail is queued. */
  start(pollMs: number): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Runs a pass unless one is running (then one more follows it). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.deliverDue();
        } catch (err) {
          this.deps.log?.error({ error: (err as Error)?.message }, 'mail outbox pass failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** Stops the worker and waits for the pass in flight; the transport is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.deps.transport.close?.();
  }
}
