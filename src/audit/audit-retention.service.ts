import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditConfig, AuditConfig } from './audit.config';

const INTERVAL_MS = 60 * 60_000;
const FIRST_RUN_MS = 60_000;
const BATCH = 5000;

// SKIP LOCKED: instances running the job at once take different rows and never wait on each other.
const DELETE_BATCH = `
  DELETE FROM audit_events WHERE seq IN (
    SELECT seq FROM audit_events WHERE occurred_at < now() - make_interval(days => $1)
    LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;

/** Removes events older than AUDIT_RETENTION_DAYS: a minute or two after start, then hourly; safe on every instance. */
@Injectable()
export class AuditRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditRetentionService.name);
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(auditConfig.KEY) private readonly config: AuditConfig,
  ) {}

  onApplicationBootstrap(): void {
    // The first pass a little after start (spread over instances started together), then hourly.
    this.first = setTimeout(() => void this.run(), FIRST_RUN_MS * (1 + Math.random()));
    this.first.unref();
    this.timer = setInterval(() => void this.run(), INTERVAL_MS);
    this.timer.unref();
  }

  /** A pass in flight is one DELETE at a time: stopping between them loses nothing. */
  onApplicationShutdown(): void {
    clearTimeout(this.first);
    clearInterval(this.timer);
  }

  /** One pass; how many rows it removed. */
  purge(): Promise<number> {
    this.running ??= this.deleteOld().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<void> {
    await this.purge().catch((error: Error) =>
      this.logger.warn(`audit retention pass failed: ${error.message}`),
    );
  }

  private async deleteOld(): Promise<number> {
    let total = 0;
    for (;;) {
      const [, removed] = await this.dataSource.query<[unknown, number]>(DELETE_BATCH, [
        this.config.retentionDays,
      ]);
      total += removed;
      if (removed < BATCH) return total;
    }
  }
}
