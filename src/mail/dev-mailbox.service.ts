import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Not, Repository } from 'typeorm';
import { AppException } from '../common/errors/app.exception';
import { appConfig, AppConfig } from '../config/app.config';
import { mailConfig, MailConfig } from './mail.config';
import { otpConfig, OtpConfig } from '../otp/otp.config';
import { OutboxMail } from './entities/outbox-mail.entity';
import { renderMailboxPage } from './dev-mailbox.page';

export const DEFAULT_SHOWN = 100;

export interface MailboxEntry {
  id: string;
  to: string;
  subject: string;
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
    @Inject(otpConfig.KEY) private readonly otp: OtpConfig,
  ) {}

  async list(limit = DEFAULT_SHOWN): Promise<{ data: MailboxEntry[] }> {
    if (this.app.isProduction || this.mail.transport !== 'outbox') throw AppException.notFound();
    const mails = await this.outbox.find({
      where: { status: Not('suppressed') },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    const code = new RegExp(`\\b\\d{${this.otp.length}}\\b`);
    return {
      data: mails.map((mail) => ({
        id: mail.id,
        to: mail.recipient,
        subject: mail.subject,
        code: mail.textBody?.match(code)?.[0] ?? null,
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
