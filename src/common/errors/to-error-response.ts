import { HttpException, HttpStatus } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { INVALID_JSON_BODY, JSON_BODY_MESSAGES } from '../http/json-body-parser';
import { BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from '../http/limits';
import { AppException, SERVICE_UNAVAILABLE_MESSAGE } from './app.exception';
import { defaultCodeFor, ErrorCode } from './error-codes';
import { ErrorBody, errorBody } from './error-body';

export interface ErrorResponse {
  body: ErrorBody;
  headers?: Record<string, string>;
  /** How to log it: bugs with their stack, outages as one warning line, client errors not at all. */
  log?: 'error' | 'warn';
}

interface StatusError {
  statusCode: number;
  code?: string;
  message?: string;
}

export const PAYLOAD_TOO_LARGE_MESSAGE = `Request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB.`;
export const BAD_PATH_ENCODING_MESSAGE = 'The path is not valid percent-encoded UTF-8.';
export const PARAM_TOO_LONG_MESSAGE = `A path segment is longer than ${MAX_PARAM_LENGTH} characters.`;
export const HEADERS_TOO_LARGE_MESSAGE = 'The request headers are too large.';
export const REQUEST_TIMEOUT_MESSAGE = 'The request was not received in time.';
export const MALFORMED_REQUEST_MESSAGE = 'The request is not valid HTTP.';

/**
 * Sentences for errors raised before any handler runs (by Fastify's router, Node's HTTP parser),
 * keyed by their code. Their own messages quote the request, so they are never passed on.
 */
const MESSAGES_BY_FRAMEWORK_CODE: Record<string, string> = {
  FST_ERR_BAD_URL: BAD_PATH_ENCODING_MESSAGE,
  FST_ERR_MAX_PARAM_LENGTH: PARAM_TOO_LONG_MESSAGE,
};

const FRAMEWORK_MESSAGES: Record<number, string> = {
  [HttpStatus.NOT_FOUND]: 'Not found.',
  [HttpStatus.REQUEST_TIMEOUT]: REQUEST_TIMEOUT_MESSAGE,
  [HttpStatus.PAYLOAD_TOO_LARGE]: PAYLOAD_TOO_LARGE_MESSAGE,
  [HttpStatus.URI_TOO_LONG]: PARAM_TOO_LONG_MESSAGE,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]:
    'Request body must be JSON (Content-Type: application/json).',
  431: HEADERS_TOO_LARGE_MESSAGE,
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
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      body: errorBody(status, defaultCodeFor(status), httpExceptionMessage(exception)),
      log: status >= 500 ? 'error' : undefined,
    };
  }
  if (isClientStatusError(exception)) {
    return {
      body: errorBody(
        exception.statusCode,
        defaultCodeFor(exception.statusCode),
        frameworkMessage(exception),
      ),
    };
  }
  if (exception instanceof QueryFailedError && driverCode(exception) === '23505') {
    return {
      body: errorBody(409, ErrorCode.CONFLICT, 'The request conflicts with existing data.'),
    };
  }
  if (isUnavailableError(exception)) {
    return {
      body: errorBody(503, ErrorCode.SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_MESSAGE),
      headers: { 'Retry-After': '5' },
      log: 'warn',
    };
  }
  return {
    body: errorBody(500, ErrorCode.INTERNAL_ERROR, 'An unexpected error occurred.'),
    log: 'error',
  };
}

function httpExceptionMessage(exception: HttpException): string {
  const status = exception.getStatus();
  const response = exception.getResponse();
  // Nest re-throws Fastify's own errors (body parsing) as HttpException(message: string).
  if (typeof response === 'string')
    return frameworkMessage({ statusCode: status, message: response });
  if (FRAMEWORK_MESSAGES[status]) return FRAMEWORK_MESSAGES[status];
  const { message } = response as { message?: unknown };
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && typeof message[0] === 'string') return message[0];
  return exception.message;
}

function isClientStatusError(value: unknown): value is StatusError {
  const status = (value as StatusError | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function frameworkMessage(error: StatusError): string {
  if (error.message && JSON_BODY_MESSAGES.has(error.message)) return error.message;
  if (error.code && MESSAGES_BY_FRAMEWORK_CODE[error.code])
    return MESSAGES_BY_FRAMEWORK_CODE[error.code];
  // Node's HTTP parser (llhttp) names its errors HPE_*: a request line or header it cannot read.
  if (error.code?.startsWith('HPE_') && error.statusCode === 400) return MALFORMED_REQUEST_MESSAGE;
  if (FRAMEWORK_MESSAGES[error.statusCode]) return FRAMEWORK_MESSAGES[error.statusCode];
  // Our own parser (http/json-body-parser.ts) names empty and poisoned bodies; anything else is this.
  if (error.statusCode === 400) return INVALID_JSON_BODY;
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

/**
 * Database or cache out of reach: the caller should retry, it is not a bug. Checked by shape, not
 * `instanceof`, because socket errors may come from another realm (Node core under a test VM).
 */
export function isUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message, driverError } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    driverError?: { code?: unknown };
  };
  const errorCode = typeof code === 'string' ? code : driverError?.code;
  if (
    typeof errorCode === 'string' &&
    (UNAVAILABLE_CODES.has(errorCode) || errorCode.startsWith('08'))
  ) {
    return true;
  }
  const text = String(message);
  return UNAVAILABLE_MESSAGE.test(`${String(name)} ${text}`) || REDIS_FAILOVER_REPLY.test(text);
}

const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|The client is (closed|offline)|Socket closed|ClientClosedError|ClientOfflineError|ConnectionTimeoutError|Connection timeout|All the root nodes are unavailable|None of the sentinels are available|no valid master node|Cluster closed|Could not find shard/i;

/**
 * Redis answers while a failover is under way (a demoted master, a node still loading its data,
 * a cluster slot without a master, a Sentinel group without a master), also when the Sentinel
 * client prefixes them with the node (`Master Client (host:port): READONLY …`).
 */
const REDIS_FAILOVER_REPLY =
  /^(?:\w+ Client \([^)]*\): )?(READONLY|LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|NOREPLICAS) /;
