import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [MailModule, WebhooksModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
