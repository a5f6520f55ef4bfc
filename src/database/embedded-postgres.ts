import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { lockDataDir } from './data-dir-lock';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite on a file-backed data folder and serves it on a loopback port, so the app
 * talks to it through the normal `pg` driver exactly as it talks to PostgreSQL. PGlite is a
 * single connection: the server accepts one client and the pool is capped at one, so two
 * transactions can never interleave.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  // pg_trgm backs the user search indexes; the same migrations run here and on PostgreSQL.
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } }).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  let stopped = false;
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      unlock();
    },
  };
}
