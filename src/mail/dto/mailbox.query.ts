import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class MailboxQuery {
  /** How many of the newest mails to show (the benchmark reads codes in batches). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number.' })
  @Min(1, { message: 'limit must be at least 1.' })
  @Max(1000, { message: 'limit must be at most 1000.' })
  limit?: number;
}
