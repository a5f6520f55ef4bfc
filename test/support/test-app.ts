import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp, createAdapter } from '../../src/app.setup';
import { loadConfiguration } from '../../src/config/configuration';
import { createTestDatabase, TestDatabase } from './database';
import { HttpClient } from './http-client';

/**
 * Boots the real app in-process on a fresh database: a new PGlite folder by default, or a
 * throwaway database on the server of DATABASE_URL (with its own Redis key prefix when
 * REDIS_URL is set). Nothing is shared with other suites or left behind.
 */
export interface TestApp extends HttpClient {
  app: NestFastifyApplication;
  env: Record<string, string>;
  close(): Promise<void>;
}

const BASE_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  MAIL_TRANSPORT: 'outbox',
  MAIL_WORKER_INTERVAL_MS: '100',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
  // Every test request comes from 127.0.0.1; suites about limits set their own.
  RATE_LIMIT_SEND_PER_MINUTE: '100000',
  RATE_LIMIT_VERIFY_PER_MINUTE: '100000',
  RATE_LIMIT_REFRESH_PER_MINUTE: '100000',
  RATE_LIMIT_PASSWORD_FAILURES: '100000',
  // No suite reaches the internet; the breached-password suite points HIBP_URL at its fake.
  PASSWORD_BREACH_CHECK: 'false',
};

/** Boots one instance; with `database` given, it joins that database instead of making its own. */
export async function startTestApp(
  overrides: Record<string, string> = {},
  database?: TestDatabase,
): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const env = { ...BASE_ENV, ...db.env, ...overrides };
  const config = loadConfiguration(env);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createAdapter(config.app.trustProxy),
    { ...APP_OPTIONS, logger: ['error', 'warn'] },
  );
  configureApp(app);
  // PORT among the overrides: a fixed port, for suites whose PUBLIC_URL must name the real address.
  await app.listen(Number(overrides.PORT ?? 0), '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const client = new HttpClient(`http://127.0.0.1:${address.port}`);
  return Object.assign(client, {
    app,
    env,
    async close() {
      await app.close();
      if (!database) await db.drop();
    },
  });
}
