import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppException } from '../common/errors/app.exception';
import {
  AdminMailPageResponse,
  AdminMailQuery,
  AdminMailResponse,
  AdminMailStatus,
  DEFAULT_MAIL_LIMIT,
} from './dto/admin-mail.dto';
import { OutboxMail, OutboxStatus } from './entities/outbox-mail.entity';

export const MAIL_NOT_FOUND = 'Mail not found.';
export const MAIL_NOT_RETRYABLE =
  'Only a failed mail can be retried, and a code mail only while its code is valid.';

const STATUSES: Record<AdminMailStatus, OutboxStatus[]> = {
  queued: ['pending', 'sending'],
  sent: ['sent'],
  // `dropped`: a code mail that expired before it could leave.
  failed: ['failed', 'dropped'],
  suppressed: ['suppressed'],
};

const RETRY = `
  UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
  WHERE id = $1 AND status = 'failed' AND (expires_at IS NULL OR expires_at > now())
    AND text_body IS NOT NULL
  RETURNING id, recipient, template, locale, status, attempts, last_error AS "lastError",
    created_at AS "createdAt", sent_at AS "sentAt"`;

type AdminMailRow = Pick<
  OutboxMail,
  | 'id'
  | 'recipient'
  | 'template'
  | 'locale'
  | 'status'
  | 'attempts'
  | 'lastError'
  | 'createdAt'
  | 'sentAt'
>;

/** The outbox as admins see it (no bodies), and queueing a failed mail again. */
@Injectable()
export class MailAdminService {
  constructor(@InjectRepository(OutboxMail) private readonly outbox: Repository<OutboxMail>) {}

  async list(query: AdminMailQuery): Promise<AdminMailPageResponse> {
    const limit = query.limit ?? DEFAULT_MAIL_LIMIT;
    const builder = this.outbox
      .createQueryBuilder('m')
      .orderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(limit + 1);
    if (query.status)
      builder.andWhere('m.status IN (:...statuses)', { statuses: STATUSES[query.status] });
    if (query.to) builder.andWhere('lower(m.recipient) = lower(:to)', { to: query.to.trim() });
    if (query.cursor)
      // Compared in SQL, so the microseconds of created_at never get lost in a cursor.
      builder.andWhere(
        '(m.created_at, m.id) < (SELECT c.created_at, c.id FROM mail_outbox c WHERE c.id = :cursor)',
        { cursor: query.cursor.toLowerCase() },
      );
    const rows = await builder.getMany();
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    return {
      data: shown.map(toAdminMailResponse),
      next_cursor: more ? shown[shown.length - 1].id : null,
    };
  }

  /** A failed mail goes back to the queue; 409 for any other, and for a code mail past its code. */
  /** Answers with the row as the retry left it (the worker may pick it up a moment later). */
  async retry(id: string): Promise<AdminMailResponse> {
    const [rows] = await this.outbox.query<[AdminMailRow[], number]>(RETRY, [id]);
    if (rows[0]) return toAdminMailResponse(rows[0]);
    if (!(await this.outbox.existsBy({ id }))) throw AppException.notFound(MAIL_NOT_FOUND);
    throw AppException.conflict(MAIL_NOT_RETRYABLE);
  }
}

function toAdminMailResponse(mail: AdminMailRow): AdminMailResponse {
  const status = (Object.keys(STATUSES) as AdminMailStatus[]).find((key) =>
    STATUSES[key].includes(mail.status),
  )!;
  return {
    id: mail.id,
    to: mail.recipient,
    template: mail.template,
    locale: mail.locale,
    status,
    attempts: mail.attempts,
    last_error: mail.lastError,
    created_at: mail.createdAt.toISOString(),
    sent_at: mail.sentAt?.toISOString() ?? null,
  };
}
