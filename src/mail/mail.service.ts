import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxMail } from './entities/outbox-mail.entity';
import { MailContext, MailTemplate, MailTemplates } from './mail-templates';
import { MailWorker } from './mail.worker';

export interface MailRequest {
  /** Always a canonical address from our own records or validation, never raw input. */
  to: string;
  template: MailTemplate;
  context: MailContext;
  /** For code mails: the moment the code expires; the mail is dropped rather than sent later. */
  expiresAt?: Date;
}

/** Writes mails to the durable outbox in the caller's request; the worker delivers them. */
@Injectable()
export class MailService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: MailTemplates,
    private readonly worker: MailWorker,
  ) {}

  async enqueue(
    request: MailRequest,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const { subject, html, text } = this.templates.render(request.template, request.context);
    await manager.getRepository(OutboxMail).insert({
      recipient: request.to,
      template: request.template,
      subject,
      htmlBody: html,
      textBody: text,
      expiresAt: request.expiresAt ?? null,
    });
    // Outside a caller's transaction the row is visible now; otherwise the next poll finds it.
    if (manager === this.dataSource.manager) this.worker.wake();
  }
}
