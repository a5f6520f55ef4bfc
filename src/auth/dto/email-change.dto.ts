import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { IsOtpCode } from './otp-code';

/** The bundled mail locales of API.md. */
const EMAIL_CHANGE_LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR'];

/** POST /api/users/me/email-change. */
export class EmailChangeRequestDto {
  @ApiProperty({
    example: 'new.address@example.com',
    description: 'The address to move to; canonicalized, and it must pass the validation chain',
  })
  @IsCanonicalEmail('New email is required.')
  new_email!: string;

  // TODO(i18n merge): pass to the mails once they are rendered per locale (API.md "Mail in the
  // reader's language"); until then accepted and checked, and every mail is English.
  @ApiPropertyOptional({
    enum: EMAIL_CHANGE_LOCALES,
    example: 'de',
    description: 'The language of the mails of this change',
  })
  @IsOptional()
  @IsIn(EMAIL_CHANGE_LOCALES, { message: 'Unsupported locale.' })
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
