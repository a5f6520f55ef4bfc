import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

// Arbitrary constant shared by every instance so only one of them migrates at a time.
const MIGRATION_LOCK_KEY = 727_274_001;
const logger = new Logger('Migrations');

/**
 * Runs pending migrations, at start and for `npm run migration:run`; instances sharing a database
 * take turns via an advisory lock.
 */
export async function runMigrationsOnStart(
  dataSource: DataSource,
  { embedded }: { embedded: boolean },
): Promise<void> {
  if (embedded) {
    // Embedded PGlite belongs to this process alone, and its single connection cannot hold a lock meanwhile.
    await migrate(dataSource);
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrate(dataSource);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await runner.release();
  }
}

async function migrate(dataSource: DataSource): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  for (const migration of applied) logger.log(`applied ${migration.name}`);
}
