import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { MailerService } from '@nestjs-modules/mailer';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { mailConfig, MailConfig } from './mail.config';
import { WakeLoop } from '../common/background/wake-loop';
import { MetricsService } from '../observability/metrics.service';
import { OutboxMail } from './entities/outbox-mail.entity';

const BATCH_SIZE = 20;
// A claimed mail whose instance died is claimed again after this lease.
const LEASE_SECONDS = 120;

interface ClaimedMail {
  id: string;
  recipient: string;
  subject: string;
  locale: string;
  text_body: string | null;
  html_body: string | null;
  attempts: number;
  expires_at: Date | null;
}

/**
 * Delivers the outbox: claims due rows with FOR UPDATE SKIP LOCKED (so instances never share a
 * row), drops code mails that expired, retries failures with exponential backoff and keeps
 * mails that failed MAIL_MAX_ATTEMPTS times as `failed` for inspection.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailWorker.name);
  private readonly loop: WakeLoop;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: MailerService,
    private readonly metrics: MetricsService,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {
    this.loop = new WakeLoop(() => this.drain(), config.workerIntervalMs);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Runs a round now, or right after the one in progress. */
  wake(): void {
    this.loop.wake();
  }

  private async drain(): Promise<void> {
    try {
      let claimed: ClaimedMail[];
      do {
        claimed = await this.claim();
        const delivered = await Promise.all(claimed.map((mail) => this.deliver(mail)));
        await this.markSent(delivered.filter((id): id is string => id !== null));
      } while (claimed.length === BATCH_SIZE && !this.loop.isStopped);
    } catch (error) {
      this.logger.warn(`outbox round failed: ${(error as Error).message}`);
    }
  }

  private async claim(): Promise<ClaimedMail[]> {
    const [rows] = await this.dataSource.query<[ClaimedMail[], number]>(
      `UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2)
       WHERE id IN (
         SELECT id FROM mail_outbox
         WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING id, recipient, subject, locale, text_body, html_body, attempts, expires_at`,
      [BATCH_SIZE, LEASE_SECONDS],
    );
    return rows;
  }

  /** Returns the id when the mail left (or, with the outbox transport, is kept for /dev/mailbox). */
  private async deliver(mail: ClaimedMail): Promise<string | null> {
    const outbox = this.dataSource.getRepository(OutboxMail);
    if (mail.expires_at && new Date(mail.expires_at) <= new Date()) {
      await outbox.update({ id: mail.id }, { status: 'dropped', htmlBody: null, textBody: null });
      this.metrics.deliveries.inc({ outcome: 'dropped' });
      return null;
    }
    try {
      // Development's outbox transport: nothing leaves, the rendered mail stays for /dev/mailbox.
      if (this.config.transport === 'smtp') {
        await this.mailer.sendMail({
          from: this.config.from,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.text_body ?? undefined,
          html: mail.html_body ?? undefined,
          headers: { 'Content-Language': mail.locale },
        });
      }
      return mail.id;
    } catch (error) {
      const failed = mail.attempts >= this.config.maxAttempts;
      this.metrics.deliveries.inc({ outcome: failed ? 'failed' : 'retry' });
      const backoffMs = Math.min(
        this.config.retryBaseMs * 2 ** (mail.attempts - 1),
        this.config.retryMaxMs,
      );
      await outbox.update(
        { id: mail.id },
        {
          status: failed ? 'failed' : 'pending',
          nextAttemptAt: new Date(Date.now() + backoffMs * (0.8 + Math.random() * 0.4)),
          lastError: (error as Error).message.slice(0, 500),
        },
      );
      this.logger.warn(
        `delivery ${failed ? 'failed for good' : 'will be retried'} (attempt ${mail.attempts}): ${(error as Error).message}`,
      );
      return null;
    }
  }

  /** One statement for a whole batch; real deliveries erase their bodies (codes do not linger). */
  private async markSent(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const erase = this.config.transport === 'smtp' ? { htmlBody: null, textBody: null } : {};
    await this.dataSource
      .getRepository(OutboxMail)
      .update({ id: In(ids) }, { status: 'sent', sentAt: new Date(), lastError: null, ...erase });
    this.metrics.deliveries.inc({ outcome: 'sent' }, ids.length);
  }
}
