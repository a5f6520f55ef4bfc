import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

export type AdminMailStatus = 'queued' | 'sent' | 'failed' | 'suppressed';
export const ADMIN_MAIL_STATUSES: AdminMailStatus[] = ['queued', 'sent', 'failed', 'suppressed'];
export const DEFAULT_MAIL_LIMIT = 50;
export const MAX_MAIL_LIMIT = 500;
const LIMIT_MESSAGE = `limit must be a whole number from 1 to ${MAX_MAIL_LIMIT}.`;

/** GET /api/admin/mail */
export class AdminMailQuery {
  @ApiPropertyOptional({ enum: ADMIN_MAIL_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(ADMIN_MAIL_STATUSES, { message: 'status must be queued, sent, failed or suppressed.' })
  status?: AdminMailStatus;

  @ApiPropertyOptional({ example: 'user@example.com', description: 'Recipient (exact)' })
  @IsOptional()
  @IsString()
  @Length(1, 254)
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_MAIL_LIMIT, default: 50, example: 50 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_MAIL_LIMIT, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({
    description: 'The `next_cursor` of the previous page',
    format: 'uuid',
    example: '0b7d4c2a-9e31-4f6b-8a25-7c1d3e5f9a02',
  })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be a next_cursor from an earlier page.' })
  cursor?: string;
}

/** An outbox row without its bodies. */
export class AdminMailResponse {
  @ApiProperty({ format: 'uuid', example: '5e0f3a71-2c4b-4d8e-b1a9-6f2d7c3e8b40' })
  id!: string;

  @ApiProperty({ example: 'user@example.com' })
  to!: string;

  @ApiProperty({ example: 'login-code' })
  template!: string;

  @ApiProperty({ example: 'de', description: 'The language the mail was written in' })
  locale!: string;

  @ApiProperty({ enum: ADMIN_MAIL_STATUSES, example: 'failed' })
  status!: AdminMailStatus;

  @ApiProperty({ example: 5 })
  attempts!: number;

  @ApiProperty({ nullable: true, type: String, example: 'connect ECONNREFUSED' })
  last_error!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T09:14:05.120Z' })
  created_at!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: '2026-03-02T09:14:06.480Z',
  })
  sent_at!: string | null;
}

export class AdminMailPageResponse {
  @ApiProperty({ type: [AdminMailResponse] })
  data!: AdminMailResponse[];

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    example: '0b7d4c2a-9e31-4f6b-8a25-7c1d3e5f9a02',
  })
  next_cursor!: string | null;
}
