import { ApiProperty } from '@nestjs/swagger';
import { IsCanonicalEmail } from '../../common/email/email.decorators';

export class GetOtpDto {
  @ApiProperty({
    example: 'user@example.com',
    description: 'Canonicalized: trimmed, NFC, lower-cased',
  })
  @IsCanonicalEmail()
  email!: string;
}
