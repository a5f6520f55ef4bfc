import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookHealthService } from './webhook-health.service';
import { WebhookWorker } from './webhook.worker';

/** Endpoints, the delivery outbox and its worker; knows nothing of routes or of who emits events. */
@Module({
  imports: [TypeOrmModule.forFeature([Webhook, WebhookDelivery])],
  providers: [WebhookEventsService, WebhookEndpointsService, WebhookHealthService, WebhookWorker],
  exports: [WebhookEventsService, WebhookEndpointsService, WebhookHealthService],
})
export class WebhooksModule {}
