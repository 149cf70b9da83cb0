import type { Transporter } from 'nodemailer';
import type { MailMessage, MailTransport } from '../../domain/mail.js';

/**
 * Delivers over SMTP with nodemailer (one pooled connection); the URL carries host, port, TLS and
 * credentials. nodemailer is loaded with the first message, so a server that sends none never pays for it.
 */
export class SmtpTransport implements MailTransport {
  private transporter: Promise<Transporter> | undefined;
  private readonly timeout: number;

  constructor(private readonly smtpUrl: string, options: { timeoutMs?: number } = {}) {
    this.timeout = options.timeoutMs ?? 30_000;
  }

  private connect(): Promise<Transporter> {
    this.transporter ??= import('nodemailer').then(({ createTransport }) => createTransport({
      url: this.smtpUrl, pool: true, maxConnections: 1,
      connectionTimeout: this.timeout, greetingTimeout: this.timeout, socketTimeout: this.timeout,
    } as Parameters<typeof createTransport>[0]));
    return this.transporter;
  }

  async send(message: MailMessage & { readonly from: string }): Promise<void> {
    await (await this.connect()).sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text });
  }

  async close(): Promise<void> {
    if (this.transporter) (await this.transporter).close();
  }
}
