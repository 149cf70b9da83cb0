// A real SMTP server on loopback (smtp-server) that keeps every message it receives, parsed with
// mailparser, so tests can await the mail the registry sends (issue 3: every security mail is
// observed in a sink).
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  /** Envelope recipients (RCPT TO), lower-cased. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly raw: string;
}

interface Waiter {
  readonly match: (mail: ReceivedMail) => boolean;
  readonly resolve: (mail: ReceivedMail) => void;
}

export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private readonly waiters = new Set<Waiter>();
  /** While > 0, the next transactions are refused with a temporary failure (to test retries). */
  failNext = 0;

  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  /** Starts a sink on 127.0.0.1 on a free port; no TLS, any (or no) credentials accepted. */
  static async start(): Promise<SmtpSink> {
    let sink!: SmtpSink;
    const server = new SMTPServer({
      secure: false, disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
      onAuth(_auth, _session, callback) {
        callback(null, { user: 'test' });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (sink.failNext > 0) {
            sink.failNext--;
            const err = Object.assign(new Error('sink: temporary failure (test)'), { responseCode: 451 });
            callback(err);
            return;
          }
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then((parsed) => {
            const mail: ReceivedMail = {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: parsed.subject ?? '', text: parsed.text ?? '', raw: raw.toString('utf8'),
            };
            sink.receive(mail);
            callback();
          }, (err: Error) => callback(err));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = (server as unknown as { server: { address(): AddressInfo } }).server.address();
    sink = new SmtpSink(server, address.port);
    return sink;
  }

  /** smtp://127.0.0.1:PORT, for the registry's mail.smtpUrl. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private receive(mail: ReceivedMail): void {
    this.messages.push(mail);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(mail)) {
        this.waiters.delete(waiter);
        waiter.resolve(mail);
      }
    }
  }

  /** The first message (already received or still to come) that matches; rejects after `timeoutMs`. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match, resolve: (mail) => { clearTimeout(timer); resolve(mail); } };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching mail within ${timeoutMs} ms (received ${this.messages.length}: ${this.messages.map((m) => m.subject).join(' | ')})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Mail to one address whose subject contains `subject`. */
  waitForMail(to: string, subject: string | RegExp, timeoutMs?: number): Promise<ReceivedMail> {
    const address = to.toLowerCase();
    return this.waitFor((m) => m.to.includes(address) && (typeof subject === 'string' ? m.subject.includes(subject) : subject.test(m.subject)), timeoutMs);
  }

  /** The first http(s) link in a message's text (verification and reset links). */
  static linkIn(mail: ReceivedMail): string | null {
    return /https?:\/\/\S+/.exec(mail.text)?.[0] ?? null;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
