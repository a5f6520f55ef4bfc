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
import { loadConfiguration } from '../src/config/configuration';
import { buildOpenApiDocument } from '../src/swagger';

export const OPENAPI_FILE = join(__dirname, '..', 'openapi.json');

async function main(): Promise<void> {
  // The document does not depend on the environment: boot on a scratch embedded database.
  const dataDir = mkdtempSync(join(tmpdir(), 'mailguard-openapi-'));
  const config = loadConfiguration({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createAdapter(),
    {
      ...APP_OPTIONS,
      logger: false,
    },
  );
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
