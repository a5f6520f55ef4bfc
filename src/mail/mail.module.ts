import { MailerModule, MailerOptions } from '@nestjs-modules/mailer';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mailConfig, MailConfig } from './mail.config';
import { DevMailboxController } from './dev-mailbox.controller';
import { DevMailboxService } from './dev-mailbox.service';
import { OutboxMail } from './entities/outbox-mail.entity';
import { MailHealthService } from './mail-health.service';
import { MailTemplatesService } from './mail-templates.service';
import { MailAdminController } from './mail-admin.controller';
import { MailAdminService } from './mail-admin.service';
import { MailService } from './mail.service';
import { MailWorker } from './mail.worker';

function transportFor(config: MailConfig) {
  if (config.transport === 'outbox') return { jsonTransport: true };
  return {
    host: config.host,
    port: config.port,
    secure: config.useSsl,
    requireTLS: config.useTls,
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

@Module({
  imports: [
    TypeOrmModule.forFeature([OutboxMail]),
    MailerModule.forRootAsync({
      inject: [mailConfig.KEY],
      useFactory: (config: MailConfig): MailerOptions => ({ transport: transportFor(config) }),
    }),
  ],
  controllers: [DevMailboxController, MailAdminController],
  providers: [
    MailAdminService,
    MailTemplatesService,
    MailService,
    MailWorker,
    DevMailboxService,
    MailHealthService,
  ],
  exports: [MailService, MailHealthService],
})
export class MailModule {}
