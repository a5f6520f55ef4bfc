import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsService } from '../observability/metrics.service';

export interface WebhookHealth {
  /** Deliveries waiting (pending or being sent) for enabled endpoints. */
  backlog: number;
}

/** The queue's depth, for readiness (reported, never failing it) and the /metrics gauge. */
@Injectable()
export class WebhookHealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    metrics: MetricsService,
  ) {
    const backlog = () => this.backlog();
    new Gauge({
      name: 'mailguard_webhook_queue_depth',
      help: 'Webhook deliveries waiting to be sent (pending or in flight)',
      registers: [metrics.registry],
      async collect() {
        this.set(await backlog());
      },
    });
  }

  async check(): Promise<WebhookHealth> {
    return { backlog: await this.backlog() };
  }

  private async backlog(): Promise<number> {
    const [row] = await this.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM webhook_deliveries WHERE status IN ('pending', 'sending')`,
    );
    return row?.count ?? 0;
  }
}
