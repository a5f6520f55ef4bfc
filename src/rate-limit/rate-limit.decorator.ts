import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { errorBody, ErrorBody } from '../common/errors/error-body';
import { ErrorCode } from '../common/errors/error-codes';
import { RATE_LIMITED_SENTENCE } from '../common/errors/app.exception';
import { RETRY_AFTER_HEADER } from '../common/swagger/retry-after.header';
import { RATE_LIMIT_DEFAULTS } from './rate-limit.config';

/** Per-IP request budgets of the unauthenticated routes (API.md, "Abuse protection"). */
export type RateLimitBucket = 'send' | 'verify' | 'refresh';

export const RATE_LIMIT_KEY = 'rateLimitBucket';

/** Each bucket's budget as the docs name it: the variable that sets it and its default. */
const BUDGETS: Record<RateLimitBucket, { variable: string; perMinute: number }> = {
  send: { variable: 'RATE_LIMIT_SEND_PER_MINUTE', perMinute: RATE_LIMIT_DEFAULTS.sendPerMinute },
  verify: {
    variable: 'RATE_LIMIT_VERIFY_PER_MINUTE',
    perMinute: RATE_LIMIT_DEFAULTS.verifyPerMinute,
  },
  refresh: {
    variable: 'RATE_LIMIT_REFRESH_PER_MINUTE',
    perMinute: RATE_LIMIT_DEFAULTS.refreshPerMinute,
  },
};

/** Another reason a rate-limited route answers 429, with the `message` the client then reads. */
export interface RateLimitCause {
  /** The example's name in the OpenAPI document. */
  name: string;
  summary: string;
  /** Completes "More than … requests a minute from one IP, or …". */
  when: string;
  message: string;
}

const PER_IP: Omit<RateLimitCause, 'when'> = {
  name: 'perIp',
  summary: 'Per-IP limit of the route (RateLimitGuard)',
  message: RATE_LIMITED_SENTENCE,
};

/**
 * Puts the route in a per-IP bucket (RateLimitGuard counts it) and documents its 429 with the
 * Retry-After header: the bucket's budget and the route's other `causes`, one example each.
 */
export function RateLimit(
  bucket: RateLimitBucket,
  ...causes: RateLimitCause[]
): MethodDecorator & ClassDecorator {
  const { variable, perMinute } = BUDGETS[bucket];
  const description = [
    `More than ${variable} (default ${perMinute}) requests a minute from one IP`,
    ...causes.map((cause) => cause.when),
  ].join(', or ');
  return applyDecorators(
    SetMetadata(RATE_LIMIT_KEY, bucket),
    ApiResponse({
      status: 429,
      type: ErrorBody,
      description: `${description}. \`Retry-After\` gives the seconds to wait.`,
      headers: RETRY_AFTER_HEADER,
      examples: Object.fromEntries(
        [PER_IP, ...causes].map(({ name, summary, message }) => [
          name,
          { summary, value: errorBody(429, ErrorCode.RATE_LIMITED, message) },
        ]),
      ),
    }),
  );
}
