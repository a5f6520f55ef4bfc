import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-policy';
import { IsOtpCode, OTP_REQUIRED } from './otp-code';
import { RequiredUnless } from './required-unless';

export class ResetPasswordDto {
  @ApiProperty({ example: 'user@example.com' })
  @IsCanonicalEmail()
  email!: string;

  @ApiPropertyOptional({
    example: '123456',
    description: 'The code from the reset mail. Give otp or token.',
  })
  @IsOtpCode({ optional: 'unless-rule' })
  @RequiredUnless('token', { missing: OTP_REQUIRED })
  otp?: string;

  @ApiPropertyOptional({
    example: '123456',
    description: 'Alias of `otp` for OTP Auth System clients: the code from the reset mail.',
  })
  @IsOtpCode({ optional: true })
  token?: string;

  @ApiProperty({
    example: 'k3!vQ9#zLm-2026',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: 'Not the email, not a common password',
  })
  @IsAcceptablePassword('email')
  new_password!: string;
}
