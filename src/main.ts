// Must stay the first import: it sizes the thread pool before anything starts it.
import './config/thread-pool';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp, createAdapter } from './app.setup';
import { ConfigurationError, loadConfiguration } from './config/configuration';

async function bootstrap(): Promise<void> {
  const config = loadConfiguration();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createAdapter(config.app.trustProxy),
    { ...APP_OPTIONS, bufferLogs: true },
  );
  configureApp(app);
  app.enableShutdownHooks();
  await app.listen(config.app.port, '0.0.0.0');
  new Logger('Bootstrap').log(
    `MailGuard listening on http://localhost:${config.app.port} (API /api, Swagger UI /docs)`,
  );
}

bootstrap().catch((error: unknown) => {
  // A configuration problem is the operator's to fix: say what, without a stack trace.
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
