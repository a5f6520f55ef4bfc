import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { BODY_LIMIT_BYTES } from '../http/limits';
import { ErrorBody, errorBody } from '../errors/error-body';
import { ErrorCode } from '../errors/error-codes';

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
