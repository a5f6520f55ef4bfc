/**
 * npm run openapi: writes the OpenAPI document to openapi.json, so frontend teams can generate
 * clients without running the service. A test fails when the committed file is stale.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { APP_OPTIONS, configureApp, createAdapter } from '../src/app.setup';
import { buildOpenApiDocument } from '../src/swagger';

export const OPENAPI_FILE = join(__dirname, '..', 'openapi.json');

async function main(): Promise<void> {
  // The document does not depend on the environment: boot on a scratch embedded database.
  const dataDir = mkdtempSync(join(tmpdir(), 'mailguard-openapi-'));
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'EMAIL_HOST', 'MAIL_TRANSPORT', 'NODE_ENV'])
    delete process.env[name];
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL = 'error';
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(), {
    ...APP_OPTIONS,
    logger: false,
  });
  try {
    configureApp(app);
    await app.init();
    writeFileSync(OPENAPI_FILE, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    console.log(`wrote ${OPENAPI_FILE}`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
