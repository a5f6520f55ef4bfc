import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { connect } from 'node:net';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsService } from '../observability/metrics.service';
import { mailConfig, MailConfig } from './mail.config';

const PROBE_TIMEOUT_MS = 1000;
const PROBE_CACHE_MS = 15_000;

const OPEN_STATUSES = ['pending', 'sending', 'failed'] as const;
type OpenStatus = (typeof OPEN_STATUSES)[number];

export interface MailHealth {
  transport: 'smtp' | 'outbox';
  status: 'up' | 'down';
  backlog: number;
  failed: number;
}

/**
 * The outbox's state, for readiness (reported, never failing it: mail is queued, so the instance
 * can still serve) and for the outbox-depth gauge of /metrics.
 */
@Injectable()
export class MailHealthService {
  private lastProbe?: { at: number; up: boolean };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
    metrics: MetricsService,
  ) {
    const counts = () => this.outboxCounts();
    new Gauge({
      name: 'mailguard_mail_outbox_depth',
      help: 'Mails in the outbox by status (pending, sending, failed)',
      labelNames: ['status'] as const,
      registers: [metrics.registry],
      async collect() {
        const byStatus = await counts();
        this.reset();
        for (const status of OPEN_STATUSES) this.set({ status }, byStatus[status]);
      },
    });
  }

  async check(): Promise<MailHealth> {
    const [byStatus, up] = await Promise.all([this.outboxCounts(), this.transportUp()]);
    return {
      transport: this.config.transport,
      status: up ? 'up' : 'down',
      backlog: byStatus.pending + byStatus.sending,
      failed: byStatus.failed,
    };
  }

  /** Mails not yet sent, by status. */
  async outboxCounts(): Promise<Record<OpenStatus, number>> {
    const rows = await this.dataSource.query<{ status: OpenStatus; count: number }[]>(
      `SELECT status, count(*)::int AS count FROM mail_outbox
       WHERE status IN ('pending', 'sending', 'failed') GROUP BY status`,
    );
    const counts = { pending: 0, sending: 0, failed: 0 };
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }

  private async transportUp(): Promise<boolean> {
    if (this.config.transport === 'outbox') return true;
    if (this.lastProbe && Date.now() - this.lastProbe.at < PROBE_CACHE_MS) return this.lastProbe.up;
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect({
        host: this.config.host,
        port: this.config.port,
        timeout: PROBE_TIMEOUT_MS,
      });
      const finish = (result: boolean) => {
        socket.destroy();
        resolve(result);
      };
      socket.once('connect', () => finish(true));
      socket.once('timeout', () => finish(false));
      socket.once('error', () => finish(false));
    });
    this.lastProbe = { at: Date.now(), up };
    return up;
  }
}
