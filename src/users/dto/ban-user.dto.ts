import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, ValidateBy } from 'class-validator';

const REASON_MESSAGE = 'Reason must be 1 to 500 characters.';
const UNTIL_MESSAGE = 'until must be an ISO-8601 time in the future.';

/** POST /api/admin/users/{id}/ban */
export class BanUserDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'Chargeback fraud, see ticket 4711' })
  @IsString({ message: REASON_MESSAGE })
  @Length(1, 500, { message: REASON_MESSAGE })
  reason!: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-12-03T00:00:00Z',
    description: 'When the ban ends by itself; absent: until lifted (`9999-12-31T23:59:59.000Z`)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: UNTIL_MESSAGE })
  @ValidateBy({
    name: 'isFuture',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && new Date(value).getTime() > Date.now(),
      defaultMessage: () => UNTIL_MESSAGE,
    },
  })
  until?: string;
}
