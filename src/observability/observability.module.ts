import { Global, Module } from '@nestjs/common';
import { AuthEvents } from './auth-events.service';
import { LoggingModule } from './logging.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Logs, audit events and metrics, available to every module. */
@Global()
@Module({
  imports: [LoggingModule],
  controllers: [MetricsController],
  providers: [MetricsService, AuthEvents],
  exports: [MetricsService, AuthEvents],
})
export class ObservabilityModule {}
