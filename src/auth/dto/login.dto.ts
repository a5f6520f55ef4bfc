import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { IsOtpCode, OTP_REQUIRED } from './otp-code';
import { RequiredUnless } from './required-unless';

export class LoginDto {
  @ApiProperty({ example: 'user@example.com' })
  @IsCanonicalEmail()
  email!: string;

  @ApiPropertyOptional({
    example: '123456',
    description: 'The emailed code (MailGuard clients). Give otp or password.',
  })
  @IsOtpCode({ optional: 'unless-rule' })
  @RequiredUnless('password', {
    missing: OTP_REQUIRED,
    both: 'Send either otp or password, not both.',
  })
  otp?: string;

  @ApiPropertyOptional({
    example: 'correct horse battery staple',
    description: 'The account password (OTP Auth System clients).',
  })
  @IsOptional()
  @IsString({ message: 'Password must be a string.' })
  @MaxLength(1024, { message: 'Password is too long.' })
  password?: string;
}
