import { SetMetadata } from '@nestjs/common';

/** Per-IP request budgets of the unauthenticated routes (API.md, "Abuse protection"). */
export type RateLimitBucket = 'send' | 'verify' | 'refresh';

export const RATE_LIMIT_KEY = 'rateLimitBucket';

export const RateLimit = (bucket: RateLimitBucket) => SetMetadata(RATE_LIMIT_KEY, bucket);
