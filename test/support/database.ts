import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A throwaway database for one test suite or one benchmark run: a new PGlite folder by default,
 * or a database of its own on the server of DATABASE_URL (with its own Redis key prefix when
 * REDIS_URL is set). `env` is what a MailGuard instance needs to use it; `drop` removes it all.
 */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh database (and Redis namespace) that several app instances may share. */
export async function createTestDatabase(label = 'e2e'): Promise<TestDatabase> {
  const id = randomBytes(6).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), `mailguard-${label}-`));
  const env: Record<string, string> = { DATA_DIR: dataDir };
  const serverUrl = process.env.DATABASE_URL;
  let dbName: string | undefined;
  if (serverUrl) {
    dbName = `mailguard_${label}_${id}`;
    await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE "${dbName}"`));
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  if (process.env.REDIS_URL) {
    env.REDIS_URL = process.env.REDIS_URL;
    env.REDIS_KEY_PREFIX = `mailguard-${label}:${id}:`;
  }
  return {
    env,
    async drop() {
      if (serverUrl && dbName) {
        await withAdmin(serverUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`),
        );
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `run` on a connection to the server's admin database (DATABASE_URL as given). */
export async function withAdmin<T>(
  serverUrl: string,
  run: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
