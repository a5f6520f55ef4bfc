import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { WebhookAdminController } from './webhook-admin.controller';
import { WebhookAdminService } from './webhook-admin.service';

@Module({
  imports: [WebhooksModule],
  controllers: [WebhookAdminController],
  providers: [WebhookAdminService],
})
export class WebhookAdminModule {}
