import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { BODY_LIMIT_BYTES } from '../http/limits';
import { ErrorBody, errorBody } from '../errors/error-body';
import { ErrorCode } from '../errors/error-codes';
import { RETRY_AFTER_HEADER } from './retry-after.header';

const BODY_LIMIT = `${BODY_LIMIT_BYTES / 1024} KiB`;

/**
 * 413 and 415 of every route that reads a JSON body: Fastify refuses a body over the limit
 * (app.setup.ts) and any Content-Type other than JSON before the route runs.
 */
export function ApiJsonBodyErrors(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiResponse({
      status: 413,
      type: ErrorBody,
      description: `The body is larger than ${BODY_LIMIT} (PAYLOAD_TOO_LARGE)`,
      example: errorBody(
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        `Request body is larger than ${BODY_LIMIT}.`,
      ),
    }),
    ApiResponse({
      status: 415,
      type: ErrorBody,
      description:
        'The body is not JSON; send `Content-Type: application/json` (UNSUPPORTED_MEDIA_TYPE)',
      example: errorBody(
        415,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Request body must be JSON (Content-Type: application/json).',
      ),
    }),
  );
}

/** One cause of a 429: an example name, a summary and the `message` the client reads. */
export interface RateLimitCause {
  name: string;
  summary: string;
  message: string;
}

/** The 429 causes of the API, with the messages their guards and services answer with. */
export const RateLimitCauses = {
  perIp: {
    name: 'perIp',
    summary: 'Per-IP limit of the route (RateLimitGuard)',
    message: 'Too many requests. Try again later.',
  },
  resendCooldown: {
    name: 'resendCooldown',
    summary: 'Resend cooldown of the email (OTP_RESEND_SECONDS)',
    message: 'Please wait before requesting another code.',
  },
  hourlyCap: {
    name: 'hourlyCap',
    summary: 'Hourly cap of codes for the email (OTP_MAX_SENDS_PER_HOUR)',
    message: 'Too many codes requested for this email. Try again later.',
  },
  passwordFailures: {
    name: 'passwordFailures',
    summary: 'Failed password logins of the email (RATE_LIMIT_PASSWORD_FAILURES)',
    message: 'Too many failed sign-in attempts. Try again later.',
  },
} as const satisfies Record<string, RateLimitCause>;

/**
 * 429 (RATE_LIMITED) with the Retry-After header, for every route behind `@RateLimit(...)`.
 * `causes` become the response's examples; the per-IP limit alone when none are given.
 */
export function ApiRateLimited(
  description: string,
  ...causes: RateLimitCause[]
): MethodDecorator & ClassDecorator {
  const listed = causes.length > 0 ? causes : [RateLimitCauses.perIp];
  return ApiResponse({
    status: 429,
    type: ErrorBody,
    description: `${description}. \`Retry-After\` gives the seconds to wait.`,
    headers: RETRY_AFTER_HEADER,
    examples: Object.fromEntries(
      listed.map(({ name, summary, message }) => [
        name,
        { summary, value: errorBody(429, ErrorCode.RATE_LIMITED, message) },
      ]),
    ),
  });
}

/** 429 of the routes that email a code: get-otp, register and forgot-password. */
export function ApiCodeRequestLimited(): MethodDecorator & ClassDecorator {
  return ApiRateLimited(
    'Resend cooldown or hourly cap of the email, or more than RATE_LIMIT_SEND_PER_MINUTE (default 10) requests a minute from one IP',
    RateLimitCauses.perIp,
    RateLimitCauses.resendCooldown,
    RateLimitCauses.hourlyCap,
  );
}
