import { join } from 'node:path';
import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export interface DatabaseConfig {
  /** PostgreSQL; without it the service runs embedded PGlite in `embeddedDir`. */
  url?: string;
  embeddedDir: string;
  /** Connections this instance keeps to PostgreSQL at most (the embedded database has one). */
  poolSize: number;
}

/** Per instance; a PostgreSQL of N connections serves about (N - 10) / 20 instances. */
export const DEFAULT_POOL_SIZE = 20;

export const databaseConfig = configToken('database');

export function readDatabaseConfig(r: EnvReader, dataDir: string): DatabaseConfig {
  return {
    url: r.url('DATABASE_URL', ['postgres', 'postgresql']),
    embeddedDir: join(dataDir, 'pglite'),
    poolSize: r.int('DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 1000),
  };
}
