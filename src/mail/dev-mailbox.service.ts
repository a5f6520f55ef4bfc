import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Not, Repository } from 'typeorm';
import { AppException } from '../common/errors/app.exception';
import { appConfig, AppConfig } from '../config/app.config';
import { mailConfig, MailConfig } from './mail.config';
import { OutboxMail } from './entities/outbox-mail.entity';
import { renderMailboxPage } from './dev-mailbox.page';

export const DEFAULT_SHOWN = 100;

export interface MailboxEntry {
  id: string;
  to: string;
  subject: string;
  /** The language the mail is written in (`Content-Language`). */
  locale: string;
  code: string | null;
  status: string;
  created_at: string;
  text: string | null;
  html: string | null;
}

/** What would have gone out, in development with the outbox transport only. */
@Injectable()
export class DevMailboxService {
  constructor(
    @InjectRepository(OutboxMail) private readonly outbox: Repository<OutboxMail>,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
  ) {}

  async list(limit = DEFAULT_SHOWN): Promise<{ data: MailboxEntry[] }> {
    if (this.app.isProduction || this.mail.transport !== 'outbox') throw AppException.notFound();
    const mails = await this.outbox.find({
      where: { status: Not('suppressed') },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return {
      data: mails.map((mail) => ({
        id: mail.id,
        to: mail.recipient,
        subject: mail.subject,
        locale: mail.locale,
        code: codeOf(mail),
        status: mail.status,
        created_at: mail.createdAt.toISOString(),
        text: mail.textBody,
        html: mail.htmlBody,
      })),
    };
  }

  /** JSON for `Accept: application/json`, the HTML page otherwise. */
  async view(accept: string, limit?: number): Promise<{ contentType: string; body: unknown }> {
    const mails = await this.list(limit);
    return accept.includes('application/json')
      ? { contentType: 'application/json; charset=utf-8', body: mails }
      : { contentType: 'text/html; charset=utf-8', body: renderMailboxPage(mails.data) };
  }
}

/** The code of a code mail (OTP_LENGTH is 4 to 10 digits, and it comes before any other number). */
function codeOf(mail: OutboxMail): string | null {
  if (!mail.template.endsWith('-code')) return null;
  return /\b\d{4,10}\b/.exec(mail.textBody ?? '')?.[0] ?? null;
}
