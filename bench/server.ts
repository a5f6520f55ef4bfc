import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { createTestDatabase } from '../test/support/database';

export interface BenchServer {
  url: string;
  pid: number;
  setup: 'postgres+redis' | 'embedded';
  /** CPU seconds so far of each PostgreSQL backend serving the service (PostgreSQL only). */
  databaseCpu?: () => Promise<Map<number, number>>;
  /**
   * VACUUM ANALYZE of the service's database, as autovacuum would keep it, then a CHECKPOINT, so
   * that writing out the pages it dirtied does not fall into the next measurement (PostgreSQL only).
   */
  vacuum?: () => Promise<void>;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Starts the production build on a throwaway database (and Redis prefix) with limits raised. */
export async function startServer(port: number): Promise<BenchServer> {
  const db = await createTestDatabase('bench');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'development',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    MAIL_TRANSPORT: 'outbox',
    OTP_RESEND_SECONDS: '0',
    OTP_MAX_SENDS_PER_HOUR: '1000',
    RATE_LIMIT_SEND_PER_MINUTE: '1000000',
    RATE_LIMIT_VERIFY_PER_MINUTE: '1000000',
    RATE_LIMIT_REFRESH_PER_MINUTE: '1000000',
    RATE_LIMIT_PASSWORD_FAILURES: '1000000',
    // The benchmark measures MailGuard, not the Have I Been Pwned API (unreachable here anyway).
    PASSWORD_BREACH_CHECK: 'false',
    ...db.env,
  };
  const args = [
    ...startFlags(),
    ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    'dist/src/main.js',
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  const monitor = db.env.DATABASE_URL ? await databaseMonitor(db.env.DATABASE_URL) : undefined;
  return {
    url,
    pid: child.pid!,
    setup: db.env.DATABASE_URL && db.env.REDIS_URL ? 'postgres+redis' : 'embedded',
    databaseCpu: monitor?.cpu,
    vacuum: monitor?.vacuum,
    async stop() {
      await monitor?.end();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await db.drop();
    },
  };
}

/** The bare NestJS + Fastify app of bench/bare-app.ts, with `npm start`'s Node.js flags. */
export async function startBareServer(port: number): Promise<BenchServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...startFlags(), '-r', 'ts-node/register/transpile-only', 'bench/bare-app.ts', String(port)],
    { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, '/health');
  return {
    url,
    pid: child.pid!,
    setup: 'embedded',
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The Node.js flags of `npm start`, so the benchmark runs the service exactly as it is started. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
    scripts: { start: string };
  };
  const match = /^node\s+(.*?)\s*dist\/src\/main\.js/.exec(scripts.start);
  return match?.[1] ? match[1].split(/\s+/) : [];
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  path = '/api/health/ready',
): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}${path}`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('server did not become ready');
}

/** CPU seconds the process has used so far (user + system). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export function rssMegabytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

interface DatabaseMonitor {
  cpu: () => Promise<Map<number, number>>;
  vacuum: () => Promise<void>;
  end: () => Promise<void>;
}

/**
 * The backends of the service's database, read from pg_stat_activity over a connection of our
 * own (to another database, so it is not counted); their CPU from /proc, as the server runs here.
 */
async function databaseMonitor(databaseUrl: string): Promise<DatabaseMonitor> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return {
    cpu: async () => {
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      const seconds = new Map<number, number>();
      for (const { pid } of rows) {
        try {
          seconds.set(pid, cpuSeconds(pid));
        } catch {
          // The backend ended between the query and the read.
        }
      }
      return seconds;
    },
    // On a connection of its own to the service's database, closed at once: not one of the
    // service's backends, so its CPU is not counted.
    vacuum: async () => {
      const own = new Client({ connectionString: databaseUrl });
      await own.connect();
      try {
        await own.query('VACUUM ANALYZE');
        // Superusers and pg_checkpoint only; without it the writes fall where they fall.
        await own.query('CHECKPOINT').catch(() => undefined);
      } finally {
        await own.end();
      }
    },
    end: () => client.end(),
  };
}
