import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * RFC 7662's answer. Anything not live is exactly `{"active":false}`; a live access token carries
 * its claims and the holder's current role, a live refresh token its session and expiry.
 */
export class IntrospectionResponse {
  @ApiProperty({ example: true })
  active!: boolean;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'], example: 'access_token' })
  token_type?: 'access_token' | 'refresh_token';

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The user id',
    example: '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11',
  })
  sub?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The session id',
    example: '0b7d2f4e-5a1c-4c3e-9f0a-2d6e8b1c4a77',
  })
  sid?: string;

  @ApiPropertyOptional({
    enum: ['admin', 'user'],
    description: 'Access tokens only',
    example: 'user',
  })
  role?: 'admin' | 'user';

  @ApiPropertyOptional({ description: 'Expiry, seconds since the epoch', example: 1795702574 })
  exp?: number;

  @ApiPropertyOptional({ description: 'Access tokens only: issued at', example: 1795701674 })
  iat?: number;

  @ApiPropertyOptional({
    description: 'Access tokens only: the issuer',
    example: 'https://auth.example.com',
  })
  iss?: string;

  @ApiPropertyOptional({ description: 'Access tokens only: the audience', example: 'mailguard' })
  aud?: string | string[];

  @ApiPropertyOptional({
    description: 'Access tokens only: the token id',
    example: '5d1c7a3e-2b9f-4e60-8a71-c3d4e5f60718',
  })
  jti?: string;
}

export const INACTIVE: IntrospectionResponse = { active: false };
