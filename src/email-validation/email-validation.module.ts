import { Module } from '@nestjs/common';
import { EmailValidationService } from './email-validation.service';
import { MailboxlayerCheck } from './mailboxlayer.check';

@Module({
  providers: [EmailValidationService, MailboxlayerCheck],
  exports: [EmailValidationService],
})
export class EmailValidationModule {}
