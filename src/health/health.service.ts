import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AtomicStore } from '../cache/atomic-store';
import { AppException } from '../common/errors/app.exception';
import { MailHealthService } from '../mail/mail-health.service';
import { WebhookHealthService } from '../webhooks/webhook-health.service';
import { HealthResponse, ReadinessResponse } from './dto/health.response';

const CHECK_TIMEOUT_MS = 2000;

type CheckStatus = 'up' | 'down';

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: AtomicStore,
    private readonly mail: MailHealthService,
    private readonly webhooks: WebhookHealthService,
  ) {}

  live(): HealthResponse {
    return { status: 'ok' };
  }

  /** Database and cache must answer; the 503 names each part that did not. */
  async ready(): Promise<ReadinessResponse> {
    const [database, cache, mail, webhooks] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.store.ping()),
      withTimeout(this.mail.check()).catch(() => ({ status: 'unknown' as const })),
      withTimeout(this.webhooks.check()).catch(() => ({ status: 'unknown' as const })),
    ]);
    const failing = [database === 'down' && 'database', cache === 'down' && 'cache'].filter(
      Boolean,
    );
    const checks = {
      database: { status: database, pool: this.pool() },
      cache: { status: cache },
      mail,
      webhooks,
    };
    if (failing.length > 0) {
      throw AppException.unavailable(`Not ready: ${failing.join(' and ')} unavailable.`, {
        checks,
      });
    }
    return { status: 'ok', checks };
  }

  /** How busy this instance's PostgreSQL pool is (`pg.Pool`'s own counters). */
  private pool(): ReadinessResponse['checks']['database']['pool'] {
    const pool = (this.dataSource.driver as PostgresDriver).master as PoolCounters;
    const size = pool.options.max;
    const open = pool.totalCount;
    const idle = pool.idleCount;
    const waiting = pool.waitingCount;
    return { size, open, idle, waiting, saturated: waiting > 0 && open >= size };
  }
}

interface PoolCounters {
  options: { max: number };
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

async function probe(check: () => Promise<unknown>): Promise<CheckStatus> {
  try {
    await withTimeout(check());
    return 'up';
  } catch {
    return 'down';
  }
}

async function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
