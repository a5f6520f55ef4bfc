import { join } from 'node:path';
import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export interface DatabaseConfig {
  /** PostgreSQL; without it the service runs embedded PGlite in `embeddedDir`. */
  url?: string;
  embeddedDir: string;
}

export const databaseConfig = configToken('database');

export function readDatabaseConfig(r: EnvReader, dataDir: string): DatabaseConfig {
  return {
    url: r.url('DATABASE_URL', ['postgres', 'postgresql']),
    embeddedDir: join(dataDir, 'pglite'),
  };
}
