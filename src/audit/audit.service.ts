import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { deriveKey, hmacHex } from '../common/secrets';
import { secretConfig, SecretConfig } from '../config/secret.config';
import {
  AUDIT_INSERT_SQL,
  auditColumnArrays,
  auditInsertForEachSql,
  AUDIT_OWNED_PARAMETERS,
  auditOwnedArrays,
  AuditRecord,
} from './audit-rows';
import type { ForEachStep } from '../database/for-each-step';

/** Buffered events are written at least this often, or at once when this many wait. */
const FLUSH_INTERVAL_MS = 1000;
const FLUSH_SIZE = 200;
// A database outage must not grow the buffer without bound; beyond this, the oldest go (logged).
const MAX_BUFFERED = 50_000;

/** Writes the audit_events table (append-only): in the caller's transaction, or soon in batches. */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private readonly emailKey: Buffer;
  private buffer: AuditRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.emailKey = deriveKey(secret.key, 'audit-email');
  }

  /** One INSERT of all the events, in the caller's transaction. */
  async append(manager: EntityManager, events: readonly AuditRecord[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(AUDIT_INSERT_SQL, auditColumnArrays(events));
  }

  /**
   * A step of a caller's single statement that serves several requests (sign-ins): their events,
   * each written only when `from` has a row whose `owner` is the event's. The text is fixed;
   * `parameters(events)` gives its AUDIT_OWNED_PARAMETERS values, numbered from `first`.
   */
  insertForEach(from: string, owner: string, first: number): ForEachStep<AuditRecord> {
    return {
      sql: auditInsertForEachSql(from, owner, first),
      parameterCount: AUDIT_OWNED_PARAMETERS,
      parameters: auditOwnedArrays,
    };
  }

  /** Written within a second, in batches; a graceful shutdown writes what is left. */
  appendLater(events: readonly AuditRecord[]): void {
    this.buffer.push(...events);
    if (this.buffer.length > MAX_BUFFERED) {
      const dropped = this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
      this.logger.error(`audit buffer full: ${dropped.length} events dropped`);
    }
    if (this.buffer.length >= FLUSH_SIZE) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Writes every buffered event (batches of FLUSH_SIZE); resolves once they are in the table. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** The keyed hash that stands for an email in `metadata.email_hash` (and the `email` filter). */
  emailHash(canonicalEmail: string): string {
    return hmacHex(this.emailKey, canonicalEmail).slice(0, 32);
  }

  private async writeBuffered(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, FLUSH_SIZE);
      try {
        await this.append(this.dataSource.manager, batch);
      } catch (error) {
        // Kept for the next round: a failed write loses nothing while the process lives.
        this.buffer.unshift(...batch);
        this.logger.error(`audit events not written yet: ${(error as Error).message}`);
        if (!this.timer) {
          this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS * 5);
          this.timer.unref();
        }
        return;
      }
    }
  }
}
