import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Length,
  Min,
  ValidateBy,
} from 'class-validator';
import { ORDERING_FIELDS, parseOrdering } from '../users-listing';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const PAGE_MESSAGE = 'page must be a whole number of at least 1.';
const LIMIT_MESSAGE = `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`;
const SEARCH_MESSAGE = 'search must be 3 to 100 characters.';
const ORDERING_MESSAGE = `ordering must be one or more of ${ORDERING_FIELDS.flatMap((f) => [f, `-${f}`]).join(', ')}, separated by commas.`;

/** Query strings arrive as strings: digits become numbers, anything else stays and is refused. */
const toInt = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
);
const toBool = Transform(({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  return value;
});

/** GET /api/users/ (admin): paging, search, filters and ordering. Regular users get themselves. */
export class ListUsersQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1, example: 1 })
  @IsOptional()
  @toInt
  @IsInt({ message: PAGE_MESSAGE })
  @Min(1, { message: PAGE_MESSAGE })
  page?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    example: 20,
  })
  @IsOptional()
  @toInt
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_PAGE_SIZE, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({
    example: 'asha',
    minLength: 3,
    maxLength: 100,
    description:
      'Case-insensitive substring of email, full name or mobile; at least 3 characters, so every search uses the trigram indexes',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() || undefined : value,
  )
  @IsString({ message: 'search must be a string.' })
  @Length(3, 100, { message: SEARCH_MESSAGE })
  search?: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: true,
    description: 'true: active users; false: deactivated and deleted users',
  })
  @IsOptional()
  @toBool
  @IsBoolean({ message: 'is_active must be true or false.' })
  is_active?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'Only admins (true) or only non-admins (false)',
  })
  @IsOptional()
  @toBool
  @IsBoolean({ message: 'is_staff must be true or false.' })
  is_staff?: boolean;

  @ApiPropertyOptional({
    example: '-created_at',
    default: '-created_at',
    description: `Comma-separated; a leading - sorts descending. Fields: ${ORDERING_FIELDS.join(', ')}. Never signed in counts as the oldest last_login.`,
  })
  @IsOptional()
  @ValidateBy({
    name: 'isOrdering',
    validator: {
      validate: (value: unknown) => parseOrdering(value) !== null,
      defaultMessage: () => ORDERING_MESSAGE,
    },
  })
  ordering?: string;
}
