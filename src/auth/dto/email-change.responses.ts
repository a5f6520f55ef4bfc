import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserResponse } from '../../users/dto/user.response';
import { TokenResponse } from './auth.responses';

/** GET /api/users/me/email-change. */
export class EmailChangeStatusResponse {
  @ApiProperty({ enum: ['none', 'pending'], example: 'pending' })
  status!: 'none' | 'pending';

  @ApiPropertyOptional({ example: 'new.address@example.com' })
  new_email?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-27T00:10:00.000Z' })
  expires_at?: string;
}

/** POST /api/users/me/email-change/confirm: the user with the new email, a new session's tokens. */
export class EmailChangedResponse extends TokenResponse {
  @ApiProperty({ type: [UserResponse] })
  data!: UserResponse[];
}
