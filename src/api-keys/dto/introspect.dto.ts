import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /api/oauth/introspect (RFC 7662), form-encoded or JSON. */
export class IntrospectDto {
  @ApiProperty({
    description: 'An access token or a refresh token of MailGuard',
    example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6Ii4uLiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiIuLi4ifQ.c2ln',
  })
  @IsString({ message: 'Token must be a string.' })
  @IsNotEmpty({ message: 'Token is required.' })
  @MaxLength(8192, { message: 'Token must be at most 8192 characters.' })
  token!: string;

  @ApiPropertyOptional({
    example: 'access_token',
    description: '`access_token` or `refresh_token`; a hint only (RFC 7662), the token decides',
  })
  @IsOptional()
  @IsString({ message: 'Token type hint must be a string.' })
  @MaxLength(64, { message: 'Token type hint must be at most 64 characters.' })
  token_type_hint?: string;
}
