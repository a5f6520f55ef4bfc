import { Module } from '@nestjs/common';
import { appConfig, AppConfig } from '../config/app.config';
import { AppLogger } from './app-logger';

/** Structured JSON logs (pino) with the request id on every line of a request. */
@Module({
  providers: [
    {
      provide: AppLogger,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => new AppLogger(config),
    },
  ],
  exports: [AppLogger],
})
export class LoggingModule {}
