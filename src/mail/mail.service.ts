import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxMail } from './entities/outbox-mail.entity';
import { MailContext, MailTemplate, MailTemplatesService } from './mail-templates.service';
import { LocaleHints, MailLocale, resolveLocale } from './mail-locales';
import { mailConfig, MailConfig } from './mail.config';
import { MailWorker } from './mail.worker';

export interface MailRequest {
  /** Always a canonical address from our own records or validation, never raw input. */
  to: string;
  template: MailTemplate;
  context: MailContext;
  /** What the request and the account say about the reader's language (MailService decides). */
  language?: LocaleHints;
  /** For code mails: the moment the code expires; the mail is dropped rather than sent later. */
  expiresAt?: Date;
}

/** Writes mails to the durable outbox in the caller's request; the worker delivers them. */
@Injectable()
export class MailService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: MailTemplatesService,
    private readonly worker: MailWorker,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /** The language a mail with these hints is written in: field, account, Accept-Language, default. */
  localeFor(hints: LocaleHints = {}): MailLocale {
    return resolveLocale(hints, this.config.defaultLocale);
  }

  async enqueue(
    request: MailRequest,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await this.write(request, manager, true);
    // Outside a caller's transaction the row is visible now; otherwise the next poll finds it.
    if (manager === this.dataSource.manager) this.worker.wake();
  }

  /**
   * For flows that must not reveal whether an account exists: with `deliver` false the same
   * work is done (rendered, one row written) but the row is marked suppressed, holds no body
   * and is never sent, so the answer takes as long either way.
   */
  async enqueueUnlessSuppressed(request: MailRequest, deliver: boolean): Promise<void> {
    if (deliver) return this.enqueue(request);
    await this.write(request, this.dataSource.manager, false);
  }

  private async write(
    request: MailRequest,
    manager: EntityManager,
    deliver: boolean,
  ): Promise<void> {
    const locale = this.localeFor(request.language);
    const { subject, html, text } = this.templates.render(
      request.template,
      locale,
      request.context,
    );
    await manager.getRepository(OutboxMail).insert({
      recipient: request.to,
      template: request.template,
      locale,
      subject,
      htmlBody: deliver ? html : null,
      textBody: deliver ? text : null,
      expiresAt: request.expiresAt ?? null,
      ...(deliver ? {} : { status: 'suppressed' as const }),
    });
  }
}
