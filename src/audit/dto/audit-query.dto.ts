import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

export const DEFAULT_AUDIT_LIMIT = 50;
export const MAX_AUDIT_LIMIT = 500;
const LIMIT_MESSAGE = `limit must be a whole number from 1 to ${MAX_AUDIT_LIMIT}.`;
const TIME_MESSAGE = '$property must be an ISO-8601 time.';
const CURSOR_MESSAGE = 'cursor must be a next_cursor from an earlier page.';

const toInt = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
);

/** Paging of every audit listing: `limit` and the opaque `cursor` of the previous page. */
export class AuditPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_AUDIT_LIMIT, default: 50, example: 50 })
  @IsOptional()
  @toInt
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_AUDIT_LIMIT, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page', example: 'MTIz' })
  @IsOptional()
  @IsString({ message: CURSOR_MESSAGE })
  @Matches(/^[1-9]\d{0,17}$/, { message: CURSOR_MESSAGE })
  cursor?: string;
}

/** GET /api/admin/audit: filters, all optional, combined with AND. */
export class AuditQuery extends AuditPageQuery {
  @ApiPropertyOptional({ example: 'login.failed' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  action?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure', 'denied'], example: 'failure' })
  @IsOptional()
  @IsIn(['success', 'failure', 'denied'], {
    message: 'outcome must be success, failure or denied.',
  })
  outcome?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '3f6c1a9e-6d2b-4c1f-9a57-2b8e4d0c7a11' })
  @IsOptional()
  @IsUUID('all', { message: 'actor_id must be a UUID.' })
  actor_id?: string;

  @ApiPropertyOptional({
    description: "A uuid, or a signing key's `kid`",
    example: '8b1e2f34-5a6c-4d7e-9f01-23456789abcd',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: "target_id must be a UUID or a signing key's kid." })
  target_id?: string;

  @ApiPropertyOptional({
    example: 'user@example.com',
    description: "Events of this address: its account's (actor or target) and its keyed hash",
  })
  @IsOptional()
  @IsString()
  @Length(3, 254)
  email?: string;

  @ApiPropertyOptional({ example: '203.0.113.7' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  ip?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: TIME_MESSAGE })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: TIME_MESSAGE })
  to?: string;
}
