import { ApiProperty } from '@nestjs/swagger';

/** One audit row as the API shows it. */
export class AuditEventResponse {
  @ApiProperty({ format: 'uuid', example: '7c1e4b7a-0d6f-4f55-9b9e-2f3f0d8e5a10' })
  id!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T10:00:00.000Z' })
  occurred_at!: string;

  @ApiProperty({ example: 'login.succeeded' })
  action!: string;

  @ApiProperty({ enum: ['success', 'failure', 'denied'], example: 'success' })
  outcome!: string;

  @ApiProperty({ enum: ['user', 'admin', 'api_key', 'system', 'anonymous'], example: 'user' })
  actor_type!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    example: '3f6c1a9e-6d2b-4c1f-9a57-2b8e4d0c7a11',
  })
  actor_id!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'user' })
  target_type!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: "The target's id: a uuid, or a signing key's `kid`",
    example: '8b1e2f34-5a6c-4d7e-9f01-23456789abcd',
  })
  target_id!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Mozilla/5.0' })
  user_agent!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'b6f0c1d2-3e4f-4a5b-8c6d-7e8f9a0b1c2d' })
  request_id!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    example: 'c2d4e6f8-0a1b-4c3d-8e5f-60718293a4b5',
  })
  session_id!: string | null;

  @ApiProperty({ type: Object, example: { method: 'code' } })
  metadata!: Record<string, unknown>;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEventResponse] })
  data!: AuditEventResponse[];

  @ApiProperty({
    nullable: true,
    type: String,
    example: '1234',
    description: 'Pass as `cursor` for the next (older) page; null on the last page',
  })
  next_cursor!: string | null;
}

export interface AuditRow {
  seq: string;
  id: string;
  occurred_at: Date;
  action: string;
  outcome: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  session_id: string | null;
  metadata: Record<string, unknown>;
}

export function toAuditEventResponse(row: AuditRow): AuditEventResponse {
  return {
    id: row.id,
    occurred_at: row.occurred_at.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    target_type: row.target_type,
    target_id: row.target_id,
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
    session_id: row.session_id,
    metadata: row.metadata,
  };
}
