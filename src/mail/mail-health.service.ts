import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import { mailConfig, MailConfig } from './mail.config';

const PROBE_TIMEOUT_MS = 1000;
const PROBE_CACHE_MS = 15_000;

export interface MailHealth {
  transport: 'smtp' | 'outbox';
  status: 'up' | 'down';
  backlog: number;
  failed: number;
}

/** Reported by readiness but never failing it: mail is queued, so the instance can still serve. */
@Injectable()
export class MailHealthService {
  private lastProbe?: { at: number; up: boolean };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  async check(): Promise<MailHealth> {
    const [rows, up] = await Promise.all([
      this.dataSource.query<{ backlog: number; failed: number }[]>(
        `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS backlog,
                count(*) FILTER (WHERE status = 'failed')::int AS failed
         FROM mail_outbox`,
      ),
      this.transportUp(),
    ]);
    return { transport: this.config.transport, status: up ? 'up' : 'down', ...rows[0] };
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
