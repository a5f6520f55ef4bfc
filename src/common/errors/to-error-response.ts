import { HttpException, HttpStatus } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppException } from './app.exception';
import { defaultCodeFor, ErrorCode } from './error-codes';
import { ErrorBody, errorBody } from './error-body';

export interface ErrorResponse {
  body: ErrorBody;
  headers?: Record<string, string>;
  /** True when the error was not expected and deserves a log line with its stack. */
  unexpected: boolean;
}

interface StatusError {
  statusCode: number;
  code?: string;
  message?: string;
}

const FRAMEWORK_MESSAGES: Record<number, string> = {
  [HttpStatus.NOT_FOUND]: 'Not found.',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'Request body is larger than 16 KiB.',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]:
    'Request body must be JSON (Content-Type: application/json).',
};

/** Maps anything thrown while serving a request to the one error shape; never leaks internals. */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof AppException) {
    const status = exception.getStatus();
    return {
      body: {
        ...errorBody(status, exception.code, exception.message, exception.errors),
        ...exception.extra,
      },
      headers: exception.headers,
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      body: errorBody(status, defaultCodeFor(status), httpExceptionMessage(exception)),
      unexpected: status >= 500,
    };
  }
  if (isClientStatusError(exception)) {
    return {
      body: errorBody(
        exception.statusCode,
        defaultCodeFor(exception.statusCode),
        frameworkMessage(exception),
      ),
      unexpected: false,
    };
  }
  if (exception instanceof QueryFailedError && driverCode(exception) === '23505') {
    return {
      body: errorBody(409, ErrorCode.CONFLICT, 'The request conflicts with existing data.'),
      unexpected: false,
    };
  }
  if (isUnavailableError(exception)) {
    return {
      body: errorBody(
        503,
        ErrorCode.SERVICE_UNAVAILABLE,
        'The service is temporarily unavailable. Try again shortly.',
      ),
      headers: { 'Retry-After': '5' },
      unexpected: true,
    };
  }
  return {
    body: errorBody(500, ErrorCode.INTERNAL_ERROR, 'An unexpected error occurred.'),
    unexpected: true,
  };
}

function httpExceptionMessage(exception: HttpException): string {
  const status = exception.getStatus();
  if (FRAMEWORK_MESSAGES[status]) return FRAMEWORK_MESSAGES[status];
  const response = exception.getResponse();
  // Nest re-throws Fastify's own errors (body parsing) as HttpException(message: string).
  if (typeof response === 'string')
    return frameworkMessage({ statusCode: status, message: response });
  const message =
    typeof response === 'string' ? response : (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && typeof message[0] === 'string') return message[0];
  return exception.message;
}

function isClientStatusError(value: unknown): value is StatusError {
  const status = (value as StatusError | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function frameworkMessage(error: StatusError): string {
  if (FRAMEWORK_MESSAGES[error.statusCode]) return FRAMEWORK_MESSAGES[error.statusCode];
  if (
    error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    error.message?.startsWith('Body cannot be empty')
  )
    return 'Request body is empty but Content-Type is JSON.';
  if (error.statusCode === 400) return 'Request body is not valid JSON.';
  return 'The request could not be processed.';
}

function driverCode(error: { driverError?: unknown }): string | undefined {
  return (error.driverError as { code?: string } | undefined)?.code;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P03',
]);

/** Database or cache out of reach: the caller should retry, it is not a bug. */
export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? driverCodeOf(error);
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return /timeout exceeded when trying to connect|Connection terminated|The client is closed|Socket closed|ClientClosedError|ConnectionTimeoutError|ServiceUnavailable/i.test(
    `${error.name} ${error.message}`,
  );
}

function driverCodeOf(error: Error): string | undefined {
  return error instanceof QueryFailedError ? driverCode(error) : undefined;
}
