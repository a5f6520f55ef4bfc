import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';

/** A named statement no longer exists on this server connection (a transaction pooler moved us). */
const STATEMENT_MISSING = '26000';
/** The server connection already has a statement of that name (a pooler, or a reused backend). */
const STATEMENT_EXISTS = '42P05';

/**
 * Runs the hottest single statements (autocommitted, outside any transaction) as named prepared
 * statements: PostgreSQL parses and plans each text once per connection instead of on every
 * request, which was most of its work on `/me` and a large share of a sign-in (README,
 * Performance). Behind a transaction pooler such as PgBouncer < 1.21 a name may not follow the
 * connection; the first such error turns naming off for this process and the statement is sent
 * again unnamed. That retry is safe: a statement that failed to parse or bind never ran.
 */
@Injectable()
export class PreparedQueries {
  private readonly logger = new Logger(PreparedQueries.name);
  private readonly names = new Map<string, string>();
  private named = true;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query<T>(text: string, values: unknown[]): Promise<T[]> {
    if (!this.named) return this.run<T>({ text, values });
    try {
      return await this.run<T>({ name: this.nameOf(text), text, values });
    } catch (error) {
      const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError
        ?.code;
      if (code !== STATEMENT_MISSING && code !== STATEMENT_EXISTS) throw error;
      if (this.named) {
        this.named = false;
        this.logger.warn('prepared statements do not follow the connection; sending them unnamed');
      }
      return this.run<T>({ text, values });
    }
  }

  private async run<T>(config: QueryConfig): Promise<T[]> {
    // TypeORM's own pool (pg.Pool), so statements share its connections and limits. Not
    // pool.query(): that closes the connection after any error, a unique violation included.
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    // A lent connection has no pool listener: one cut now (a database restart) would otherwise
    // be an unhandled 'error' event and end the process. The call fails; the pool drops it.
    let cut: Error | undefined;
    const onError = (error: Error) => (cut = error);
    client.on('error', onError);
    try {
      const result = await client.query(config);
      return result.rows as T[];
    } catch (error) {
      // The shape TypeORM's query() gives, which the error filter and the callers know.
      throw new QueryFailedError(config.text, config.values, error as Error);
    } finally {
      client.removeListener('error', onError);
      client.release(cut);
    }
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (!name) {
      name = `mg_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      this.names.set(text, name);
    }
    return name;
  }
}
