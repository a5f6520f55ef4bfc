import { ApiProperty } from '@nestjs/swagger';
import { IssuedTokens } from '../../sessions/sessions.service';
import { UserResponse } from '../../users/dto/user.response';

export class MessageResponse {
  @ApiProperty({ example: 'OTP sent to email.' })
  message!: string;
}

export class DetailResponse {
  @ApiProperty({ example: 'Successfully logged out.' })
  detail!: string;
}

export class TokenResponse {
  @ApiProperty({
    description: 'The access token again, for MailGuard clients that read `token`',
    example: 'eyJhbGciOiJIUzI1NiIs…',
  })
  token!: string;

  @ApiProperty({
    description: 'Access token (JWT), sent as `Authorization: Bearer <access>`',
    example: 'eyJhbGciOiJIUzI1NiIs…',
  })
  access!: string;

  @ApiProperty({
    description: 'Opaque refresh token; single use, rotated on every refresh',
    example: 'Jc3Q1b0v…',
  })
  refresh!: string;

  @ApiProperty({ example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expires_in!: number;
}

export function toTokenResponse(tokens: IssuedTokens): TokenResponse {
  return {
    token: tokens.access,
    access: tokens.access,
    refresh: tokens.refresh,
    token_type: 'Bearer',
    expires_in: tokens.expiresIn,
  };
}

/** A confirmed registration: the new user and the tokens of its first session. */
export class RegisteredResponse extends TokenResponse {
  @ApiProperty({ example: 'User registered successfully.' })
  message!: string;

  @ApiProperty({ type: [UserResponse] })
  data!: UserResponse[];
}

export function toRegisteredResponse(user: UserResponse, tokens: IssuedTokens): RegisteredResponse {
  return {
    message: 'User registered successfully.',
    data: [user],
    ...toTokenResponse(tokens),
  };
}
