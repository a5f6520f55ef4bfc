import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DEFAULT_POOL_SIZE } from './database.config';
import { entities } from './entities';

/** PGlite serves one connection; PostgreSQL gets a real pool (DATABASE_POOL_SIZE). */
const EMBEDDED_POOL_SIZE = 1;

/**
 * TypeORM's options, plus whether they point at the embedded PGlite (`!DATABASE_URL`), said
 * explicitly so that tuning the pool never changes how migrations lock.
 */
export type AppDataSourceOptions = DataSourceOptions & { readonly embedded: boolean };

/** The TypeORM options shared by the app and the migration scripts. Schema only through migrations. */
export function buildDataSourceOptions(
  url: string,
  embedded: boolean,
  poolSize = DEFAULT_POOL_SIZE,
): AppDataSourceOptions {
  return {
    embedded,
    type: 'postgres',
    url,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite: no extension to install.
    uuidExtension: 'pgcrypto',
    entities,
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    // Off: TypeORM would log failed queries with their parameters (emails, hashes). Errors reach
    // the exception filter, which logs them without parameters.
    logging: false,
    extra: {
      max: embedded ? EMBEDDED_POOL_SIZE : poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: embedded ? 0 : 30_000,
    },
  };
}
