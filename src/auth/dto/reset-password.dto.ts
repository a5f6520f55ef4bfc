import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { IsAcceptablePassword } from '../password-policy';
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

  @IsAcceptablePassword('email')
  new_password!: string;
}
