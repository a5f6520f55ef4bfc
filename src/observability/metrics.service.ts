import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { AppException } from '../common/errors/app.exception';
import { appConfig, AppConfig } from '../config/app.config';

/** Prometheus metrics of this instance; one registry per app, so tests can run several apps. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'mailguard_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly codes = new Counter({
    name: 'mailguard_otp_codes_total',
    help: 'One-time codes by purpose and outcome (sent, verified, failed)',
    labelNames: ['purpose', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly logins = new Counter({
    name: 'mailguard_logins_total',
    help: 'Sign-in attempts by method (otp, password, registration) and outcome',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'mailguard_mail_deliveries_total',
    help: 'Outbox delivery attempts by outcome (sent, retry, failed, dropped)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    new Gauge({
      name: 'mailguard_mail_outbox_depth',
      help: 'Mails in the outbox by status (pending, sending, failed)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const rows: { status: string; count: number }[] = await dataSource.query(
          `SELECT status, count(*)::int AS count FROM mail_outbox
           WHERE status IN ('pending', 'sending', 'failed') GROUP BY status`,
        );
        this.reset();
        for (const status of ['pending', 'sending', 'failed']) {
          this.set({ status }, rows.find((row) => row.status === status)?.count ?? 0);
        }
      },
    });
  }

  /** The Prometheus text; 404 unless METRICS_ENABLED=true. */
  scrape(): Promise<string> {
    if (!this.config.metricsEnabled) throw AppException.notFound();
    return this.registry.metrics();
  }
}
