import { ApiProperty } from '@nestjs/swagger';
import { IsCanonicalEmail } from '../../common/email/email.decorators';

export class ForgotPasswordDto {
  @ApiProperty({ example: 'user@example.com' })
  @IsCanonicalEmail()
  email!: string;
}
