import { ApiProperty } from '@nestjs/swagger';
import { Session } from '../entities/session.entity';

/** A user's session as an admin sees it (GET /api/admin/users/{id}/sessions). */
export class AdminSessionResponse {
  @ApiProperty({ format: 'uuid', example: '0b7d2f4e-5a1c-4c3e-9f0a-2d6e8b1c4a77' })
  id!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T07:00:00.000Z' })
  last_used_at!: string;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  user_agent!: string | null;
}

/** A signed-in device of the caller, as GET /api/users/me/sessions lists it. */
export class SessionResponse extends AdminSessionResponse {
  @ApiProperty({ example: true, description: 'The session of the token making this request' })
  current!: boolean;
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionResponse] })
  data!: SessionResponse[];
}

export function toSessionResponse(session: Session, currentSessionId: string): SessionResponse {
  return { ...toAdminSessionResponse(session), current: session.id === currentSessionId };
}

export class AdminSessionListResponse {
  @ApiProperty({ type: [AdminSessionResponse] })
  data!: AdminSessionResponse[];
}

export function toAdminSessionResponse(session: Session): AdminSessionResponse {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    ip: session.ip,
    user_agent: session.userAgent,
  };
}
