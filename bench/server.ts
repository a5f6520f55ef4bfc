import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface BenchServer {
  url: string;
  pid: number;
  setup: 'postgres+redis' | 'embedded';
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Starts the production build on a throwaway database (and Redis prefix) with limits raised. */
export async function startServer(port: number): Promise<BenchServer> {
  const id = randomBytes(4).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'mailguard-bench-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dataDir,
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
  };
  const serverUrl = process.env.DATABASE_URL;
  const dbName = `mailguard_bench_${id}`;
  if (serverUrl) {
    await admin(serverUrl, `CREATE DATABASE "${dbName}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  if (process.env.REDIS_URL) {
    env.REDIS_URL = process.env.REDIS_URL;
    env.REDIS_KEY_PREFIX = `mailguard-bench:${id}:`;
  }
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
  return {
    url,
    pid: child.pid!,
    setup: serverUrl && process.env.REDIS_URL ? 'postgres+redis' : 'embedded',
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      if (serverUrl) await admin(serverUrl, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
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

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('server did not become ready');
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
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
