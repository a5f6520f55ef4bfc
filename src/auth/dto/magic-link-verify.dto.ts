import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class MagicLinkVerifyDto {
  @ApiProperty({
    example: 'pY1lK6m0b3QvV2x8cZr4nH9sT7wE5uJ1aG0dF3kL2mN',
    description: 'The `token` query parameter of the link in the sign-in mail',
  })
  @IsString({ message: 'Token must be a string.' })
  @IsNotEmpty({ message: 'Token is required.' })
  @MaxLength(256, { message: 'Token is too long.' })
  token!: string;
}
