import { ApiProperty } from '@nestjs/swagger';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { MailLocaleField } from '../../mail/mail-locale.decorator';
import { IsOtpCode } from './otp-code';

/** POST /api/users/me/email-change. */
export class EmailChangeRequestDto {
  @ApiProperty({
    example: 'new.address@example.com',
    description: 'The address to move to; canonicalized, and it must pass the validation chain',
  })
  @IsCanonicalEmail('New email is required.')
  new_email!: string;

  @MailLocaleField(
    'Language of the mails of this change (both codes, the notice to the old address); else the ' +
      'account’s locale, else Accept-Language',
  )
  locale?: string;
}

/** POST /api/users/me/email-change/confirm. */
export class EmailChangeConfirmDto {
  @ApiProperty({ example: '482913', description: 'The code mailed to the current address' })
  @IsOtpCode()
  current_code!: string;

  @ApiProperty({ example: '105377', description: 'The code mailed to the new address' })
  @IsOtpCode()
  new_code!: string;
}
