import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { MailMessage, MailTransport } from '../../domain/mail.js';

/**
 * The embedded default: each message becomes an RFC 5322 .eml file (composed by nodemailer), so
 * a laptop install needs no mail server. `onWritten` tells the operator where to look.
 */
export class FileTransport implements MailTransport {
  // nodemailer is loaded with the first message: most hours of a registry's life send none.
  private composer: Promise<Transporter> | undefined;
  private counter = 0;

  constructor(private readonly directory: string, private readonly onWritten: (file: string, message: MailMessage) => void = () => {}) {}

  async send(message: MailMessage & { readonly from: string }): Promise<void> {
    this.composer ??= import('nodemailer').then(({ createTransport }) => createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
    const info = await (await this.composer).sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text });
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++this.counter}.eml`;
    const file = join(this.directory, name);
    // Written then renamed, so a reader never sees half a message.
    await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    this.onWritten(file, message);
  }
}
