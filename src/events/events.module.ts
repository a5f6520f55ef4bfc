import { Global, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { EventsService } from './events.service';

/** Global: any feature may say what happened; only this module knows who listens. */
@Global()
@Module({
  imports: [AuditModule, WebhooksModule],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
