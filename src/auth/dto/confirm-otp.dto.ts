import { ApiProperty } from '@nestjs/swagger';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { IsOtpCode } from './otp-code';

export class ConfirmOtpDto {
  @ApiProperty({ example: 'user@example.com' })
  @IsCanonicalEmail()
  email!: string;

  @ApiProperty({ example: '123456', description: 'The code from the registration mail' })
  @IsOtpCode()
  otp!: string;
}
