import { Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * Per-IP request budgets. AppGuard runs the guard after the JWT and roles guards, so a caller
 * learns 401, then 403, then 429.
 */
@Module({
  providers: [RateLimitGuard],
  exports: [RateLimitGuard],
})
export class RateLimitModule {}
