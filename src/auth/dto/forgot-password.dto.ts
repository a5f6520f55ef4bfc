import { ApiProperty } from '@nestjs/swagger';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { MailLocaleField } from '../../mail/mail-locale.decorator';

export class ForgotPasswordDto {
  @ApiProperty({ example: 'user@example.com' })
  @IsCanonicalEmail()
  email!: string;

  @MailLocaleField('Language of the mail; else the account’s locale, else Accept-Language')
  locale?: string;
}
