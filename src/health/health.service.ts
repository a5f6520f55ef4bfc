import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
    const checks = { database: { status: database }, cache: { status: cache }, mail, webhooks };
    if (failing.length > 0) {
      throw AppException.unavailable(`Not ready: ${failing.join(' and ')} unavailable.`, {
        checks,
      });
    }
    return { status: 'ok', checks };
  }
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
