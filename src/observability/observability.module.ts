import { Global, Module } from '@nestjs/common';
import { AuthEventsService } from './auth-events.service';
import { LoggingModule } from './logging.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Logs, audit events and metrics, available to every module. */
@Global()
@Module({
  imports: [LoggingModule],
  controllers: [MetricsController],
  providers: [MetricsService, AuthEventsService],
  exports: [MetricsService, AuthEventsService],
})
export class ObservabilityModule {}
