import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-policy';
import { digitsOf } from './otp-code';

export class ResetPasswordDto {
  @ApiProperty({ example: 'user@example.com' })
  @IsCanonicalEmail()
  email!: string;

  @ApiPropertyOptional({
    example: '123456',
    description: 'The code from the reset mail. Give otp or token.',
  })
  @IsOptional()
  @Transform(digitsOf)
  @IsString({ message: 'OTP must be a string of digits.' })
  @MaxLength(32, { message: 'OTP is too long.' })
  otp?: string;

  @ApiPropertyOptional({
    example: '123456',
    description: 'Alias of `otp` for OTP Auth System clients: the code from the reset mail.',
  })
  @IsOptional()
  @Transform(digitsOf)
  @IsString({ message: 'Token must be a string.' })
  @MaxLength(256, { message: 'Token is too long.' })
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
