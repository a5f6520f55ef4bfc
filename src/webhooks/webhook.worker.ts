import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import { DataSource, In } from 'typeorm';
import { WakeLoop } from '../common/background/wake-loop';
import { MetricsService } from '../observability/metrics.service';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { postWebhook, PostResult } from './webhook-http';
import { signatureHeader } from './webhook-signature';
import { webhooksConfig, WebhooksConfig } from './webhooks.config';

/** Seconds before each retry (API.md): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then it has failed. */
export const RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

// Deliveries in flight per instance (each the head of a different endpoint's queue).
const MAX_IN_FLIGHT = 20;
// A claimed delivery whose instance died is taken again after this lease (above any timeout).
const LEASE_SECONDS = 120;

interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  type: string;
  body: string;
  attempts: number;
}

type Outcome = 'succeeded' | 'retry' | 'failed' | 'disabled';

/**
 * Delivers the webhook outbox from any instance: each round claims, with FOR UPDATE SKIP LOCKED,
 * the oldest open delivery of each enabled endpoint whose turn has come (so an endpoint receives
 * its events in order and no two instances send the same one), POSTs them in parallel and
 * schedules retries. Requests run outside any transaction and never on a request's path.
 * Order is that of `seq`, taken at insert: two transactions committing in the other order than
 * they inserted can swap their events (rare, and each is still delivered).
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookWorker.name);
  private readonly outcomes: Counter<'outcome'>;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: WakeLoop;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
    metrics: MetricsService,
  ) {
    this.outcomes = new Counter({
      name: 'mailguard_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome (succeeded, retry, failed, disabled)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    this.loop = new WakeLoop(() => this.drain(), config.workerIntervalMs);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Before the database closes: requests in flight are cut and go back to the queue untried. */
  async beforeApplicationShutdown(): Promise<void> {
    const stopped = this.loop.stop();
    this.abort.abort();
    await stopped;
    await Promise.all([...this.inFlight]);
  }

  /** Runs a round now, or right after the one in progress. */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Claims what is due and starts each delivery without waiting for it, so a slow receiver holds
   * back only its own endpoint's queue; a finished delivery wakes the worker for the next one.
   */
  private async drain(): Promise<void> {
    try {
      while (!this.loop.isStopped && this.inFlight.size < MAX_IN_FLIGHT) {
        const claimed = await this.claim(MAX_IN_FLIGHT - this.inFlight.size);
        if (claimed.length === 0) break;
        const endpoints = await this.dataSource.getRepository(Webhook).findBy({
          id: In([...new Set(claimed.map((row) => row.webhook_id))]),
        });
        const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
        for (const row of claimed) this.start(row, byId.get(row.webhook_id));
      }
    } catch (error) {
      this.logger.warn(`webhook round failed: ${(error as Error).message}`);
    }
  }

  private start(row: ClaimedDelivery, endpoint: Webhook | undefined): void {
    const job: Promise<void> = this.deliver(row, endpoint)
      .catch((error: Error) =>
        this.logger.warn(`webhook delivery ${row.id} failed: ${error.message}`),
      )
      .finally(() => {
        this.inFlight.delete(job);
        this.wake();
      });
    this.inFlight.add(job);
  }

  private async claim(limit: number): Promise<ClaimedDelivery[]> {
    const [rows] = await this.dataSource.query<[ClaimedDelivery[], number]>(
      `UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2)
       WHERE id IN (
         SELECT d.id FROM webhook_deliveries d
         JOIN webhooks w ON w.id = d.webhook_id AND w.enabled
         WHERE d.status IN ('pending', 'sending') AND d.next_attempt_at <= now()
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries e
             WHERE e.webhook_id = d.webhook_id AND e.status IN ('pending', 'sending')
               AND e.seq < d.seq)
         ORDER BY d.seq LIMIT $1
         FOR UPDATE OF d SKIP LOCKED)
       RETURNING id, webhook_id, type, body, attempts`,
      [limit, LEASE_SECONDS],
    );
    return rows;
  }

  private async deliver(row: ClaimedDelivery, endpoint: Webhook | undefined): Promise<void> {
    const deliveries = this.dataSource.getRepository(WebhookDelivery);
    if (!endpoint?.enabled) {
      await deliveries.update({ id: row.id }, { status: 'cancelled' });
      return;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await postWebhook(
      endpoint.url,
      {
        'content-type': 'application/json',
        'user-agent': 'MailGuard-Webhooks/1',
        'webhook-id': row.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secretsOf(endpoint), row.id, timestamp, row.body),
      },
      row.body,
      {
        timeoutMs: this.config.timeoutMs,
        allowPrivate: this.config.allowPrivateNetworks,
        signal: this.abort.signal,
      },
    );
    if (this.abort.signal.aborted && result.status === null) {
      await deliveries.update(
        { id: row.id },
        { status: 'pending', attempts: row.attempts - 1, nextAttemptAt: new Date() },
      );
      return;
    }
    const outcome = outcomeOf(result, row.attempts);
    this.outcomes.inc({ outcome });
    const base = {
      responseCode: result.status,
      durationMs: result.durationMs,
      lastError:
        result.error?.slice(0, 500) ?? (outcome === 'succeeded' ? null : `HTTP ${result.status}`),
    };
    if (outcome === 'succeeded') {
      await deliveries.update(
        { id: row.id },
        { ...base, status: 'succeeded', deliveredAt: new Date() },
      );
    } else if (outcome === 'retry') {
      const delayMs = RETRY_SCHEDULE_SECONDS[row.attempts - 1] * 1000 * this.config.retryScale;
      await deliveries.update(
        { id: row.id },
        { ...base, status: 'pending', nextAttemptAt: new Date(Date.now() + delayMs) },
      );
    } else {
      await deliveries.update({ id: row.id }, { ...base, status: 'failed' });
      if (outcome === 'disabled') await this.disable(endpoint.id);
    }
    if (outcome !== 'succeeded')
      this.logger.warn(
        `webhook ${endpoint.id} delivery ${row.id} attempt ${row.attempts}: ${base.lastError} (${outcome})`,
      );
  }

  /** A 410 means "gone, stop": the endpoint is switched off and what waited for it is dropped. */
  private async disable(webhookId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(Webhook)
        .update(
          { id: webhookId },
          { enabled: false, disabledReason: 'The receiver answered 410 Gone.' },
        );
      await manager
        .getRepository(WebhookDelivery)
        .update({ webhookId, status: In(['pending', 'sending']) }, { status: 'cancelled' });
    });
  }
}

/** The secrets that sign now: the current one, and the previous one for 24 h after a rotation. */
export function secretsOf(endpoint: Webhook, now = new Date()): string[] {
  const previous =
    endpoint.previousSecret &&
    endpoint.previousSecretExpiresAt &&
    endpoint.previousSecretExpiresAt > now
      ? [endpoint.previousSecret]
      : [];
  return [endpoint.secret, ...previous];
}

function outcomeOf(result: PostResult, attempts: number): Outcome {
  if (result.status !== null && result.status >= 200 && result.status < 300) return 'succeeded';
  if (result.status === 410) return 'disabled';
  return attempts > RETRY_SCHEDULE_SECONDS.length ? 'failed' : 'retry';
}
