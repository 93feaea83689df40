import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import nodemailer, { Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  /** Plain text; links in it may carry one-time tokens, so it is never logged. */
  text: string;
}

/**
 * Sends mail over `SMTP_URL`. Without it (a laptop, a first try) each mail is written to
 * `PARLEY_DATA_DIR/outbox/` as an .eml file and its path logged — never its body, which holds links
 * with one-time tokens.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter | undefined;
  /** Renders a mail to RFC 822 bytes for the outbox. */
  private readonly renderer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  private readonly outbox: string;
  private outboxReady: Promise<unknown> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Bounded waits: a stalled mail server must not hold a request (nodemailer's defaults are minutes).
    this.transport = config.mail.smtpUrl
      ? nodemailer.createTransport({
          url: config.mail.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : undefined;
    this.outbox = path.join(config.database.dataDir, 'outbox');
  }

  async send(mail: OutgoingMail): Promise<void> {
    const message = { from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text };
    if (this.transport) {
      await this.transport.sendMail(message);
      return;
    }
    // The same RFC 822 bytes an SMTP server would get, so any mail client opens the file.
    const { message: eml } = await this.renderer.sendMail(message);
    await (this.outboxReady ??= fs.mkdir(this.outbox, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      this.outboxReady = undefined; // try again next time
      throw error;
    }));
    const file = path.join(this.outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`);
    await fs.writeFile(file, eml as Buffer, { mode: 0o600 });
    this.logger.log(`no SMTP_URL: mail "${mail.subject}" written to ${file}`);
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
