import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { AppException } from '../common/errors/app.exception';
import { appConfig, AppConfig } from '../config/app.config';

interface RequestCount {
  labels: { method: string; route: string; status: string };
  count: number;
}

/** Prometheus metrics of this instance; one registry per app, so tests can run several apps. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  // Counted per request in a plain map (prom-client hashes and validates the labels on every
  // inc) and handed to the counter when scraped.
  private readonly requestCounts = new Map<string, RequestCount>();

  private readonly httpRequests = new Counter({
    name: 'mailguard_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
    collect: () => {
      this.httpRequests.reset();
      for (const { labels, count } of this.requestCounts.values())
        this.httpRequests.inc(labels, count);
    },
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

  // Gauges over other modules' tables are registered by their owners (the outbox depth by mail).
  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  /** One answered request; `route` is the route template, so the label set stays small. */
  countRequest(method: string, route: string, status: number): void {
    const key = `${method} ${status} ${route}`;
    const entry = this.requestCounts.get(key);
    if (entry) entry.count++;
    else
      this.requestCounts.set(key, { labels: { method, route, status: String(status) }, count: 1 });
  }

  /** The Prometheus text; 404 unless METRICS_ENABLED=true. */
  scrape(): Promise<string> {
    if (!this.config.metricsEnabled) throw AppException.notFound();
    return this.registry.metrics();
  }
}
