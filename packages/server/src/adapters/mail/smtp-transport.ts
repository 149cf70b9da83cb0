import { createTransport, type Transporter } from 'nodemailer';
import type { MailMessage, MailTransport } from '../../domain/mail.js';

/** Delivers over SMTP with nodemailer (one pooled connection); the URL carries host, port, TLS and credentials. */
export class SmtpTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(smtpUrl: string, options: { timeoutMs?: number } = {}) {
    const timeout = options.timeoutMs ?? 30_000;
    this.transporter = createTransport({
      url: smtpUrl, pool: true, maxConnections: 1,
      connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
    } as Parameters<typeof createTransport>[0]);
  }

  async send(message: MailMessage & { readonly from: string }): Promise<void> {
    await this.transporter.sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text });
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
