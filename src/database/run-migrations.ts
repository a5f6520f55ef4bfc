import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor, QueryRunner } from 'typeorm';

// Arbitrary constant shared by every instance so only one of them migrates at a time.
const MIGRATION_LOCK_KEY = 727_274_001;
const logger = new Logger('Migrations');

/**
 * Runs pending migrations, at start and for `npm run migration:run`. On PostgreSQL, instances
 * sharing a database take turns: all pending migrations run in ONE transaction that first takes
 * a transaction-level advisory lock (`pg_advisory_xact_lock`). The lock lives and dies with that
 * transaction, so it works through PgBouncer in transaction pooling mode (a session lock taken
 * on one server connection could be released on another), and a crashed instance never leaves
 * it held. An instance that waited finds the migrations applied and runs none.
 */
export async function runMigrationsOnStart(
  dataSource: DataSource,
  { embedded }: { embedded: boolean },
): Promise<void> {
  if (embedded) {
    // Embedded PGlite belongs to this process alone: nobody to take turns with.
    report(await dataSource.runMigrations({ transaction: 'each' }));
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await migrateIn(dataSource, runner);
    await runner.commitTransaction();
    report(applied);
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** Applies pending migrations inside the runner's open transaction (which it leaves open). */
function migrateIn(dataSource: DataSource, runner: QueryRunner) {
  const executor = new MigrationExecutor(dataSource, runner);
  executor.transaction = 'all';
  return executor.executePendingMigrations();
}

function report(applied: { name: string }[]): void {
  for (const migration of applied) logger.log(`applied ${migration.name}`);
}
