import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Batcher } from '../common/background/batcher';
import { PreparedQueries } from '../database/prepared-queries';
import { columnArrays, unnestInsertSql } from '../database/unnest-insert';
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

/** An outbox row as written, in OUTBOX_COLUMNS order. */
type OutboxRow = [
  recipient: string,
  template: string,
  locale: string,
  subject: string,
  htmlBody: string | null,
  textBody: string | null,
  expiresAt: Date | null,
  status: 'pending' | 'suppressed',
];

// Several requests' rows per statement and commit (group commit).
const OUTBOX_BATCH = 100;
const OUTBOX_COLUMNS = [
  'recipient',
  'template',
  'locale',
  'subject',
  'html_body',
  'text_body',
  'expires_at',
  'status',
];
const OUTBOX_COLUMN_TYPES = [
  'varchar',
  'varchar',
  'varchar',
  'varchar',
  'text',
  'text',
  'timestamptz',
  'varchar',
];

/**
 * One text for any number of rows (prepared once). created_at and next_attempt_at from
 * clock_timestamp(), row by row, so the rows of one statement keep their order (the dev mailbox
 * sorts by it).
 */
const OUTBOX_INSERT = unnestInsertSql('mail_outbox', OUTBOX_COLUMNS, OUTBOX_COLUMN_TYPES, {
  created_at: 'clock_timestamp()',
  next_attempt_at: 'clock_timestamp()',
});

function outboxColumns(rows: OutboxRow[]): unknown[][] {
  return columnArrays(rows, OUTBOX_COLUMNS.length);
}

/** Writes mails to the durable outbox in the caller's request; the worker delivers them. */
@Injectable()
export class MailService {
  /** Rows written outside a caller's transaction: committed together with other requests' rows. */
  private readonly outbox = new Batcher<OutboxRow>((rows) => this.insertRows(rows), OUTBOX_BATCH);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly prepared: PreparedQueries,
    private readonly templates: MailTemplatesService,
    private readonly worker: MailWorker,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /** The language a mail with these hints is written in: field, account, Accept-Language, default. */
  localeFor(hints: LocaleHints = {}): MailLocale {
    return resolveLocale(hints, this.config.defaultLocale);
  }

  /**
   * Resolves once the row is committed: in the caller's transaction when `manager` is given,
   * otherwise in the next group commit (the worker is woken once it is in).
   */
  async enqueue(request: MailRequest, manager?: EntityManager): Promise<void> {
    const row = this.render(request, true);
    if (manager && manager !== this.dataSource.manager) {
      // The next poll finds it once the caller's transaction commits.
      await manager.query(OUTBOX_INSERT, outboxColumns([row]));
      return;
    }
    await this.outbox.add(row);
  }

  /**
   * For flows that must not reveal whether an account exists: with `deliver` false the same
   * work is done (rendered, one row written in the same group commit) but the row is marked
   * suppressed, holds no body and is never sent, so the answer takes as long either way.
   */
  async enqueueUnlessSuppressed(request: MailRequest, deliver: boolean): Promise<void> {
    await this.outbox.add(this.render(request, deliver));
  }

  private render(request: MailRequest, deliver: boolean): OutboxRow {
    const locale = this.localeFor(request.language);
    const { subject, html, text } = this.templates.render(
      request.template,
      locale,
      request.context,
    );
    return [
      request.to,
      request.template,
      locale,
      subject,
      deliver ? html : null,
      deliver ? text : null,
      request.expiresAt ?? null,
      deliver ? 'pending' : 'suppressed',
    ];
  }

  private async insertRows(rows: OutboxRow[]): Promise<void> {
    await this.prepared.query(OUTBOX_INSERT, outboxColumns(rows));
    if (rows.some((row) => row[7] === 'pending')) this.worker.wake();
  }
}
