import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-codes';

/** The sentence of every 503: the database or the cache is out of reach. */
export const SERVICE_UNAVAILABLE_MESSAGE =
  'The service is temporarily unavailable. Try again shortly.';

export type FieldErrors = Record<string, string[]>;

/** The 429 message of the per-IP limits (RateLimitGuard). */
export const RATE_LIMITED_SENTENCE = 'Too many requests. Try again later.';

/** An error the API answers with on purpose: status, stable code, one sentence, optional field errors. */
export class AppException extends HttpException {
  /** For a 409: the input field it is about (MailGuard's routes answer it as that field's error). */
  conflictField?: string;

  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldErrors,
    readonly headers?: Record<string, string>,
    /** Extra top-level fields for the body, e.g. readiness checks. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message, status);
  }

  static badRequest(code: ErrorCode, message: string, errors?: FieldErrors): AppException {
    return new AppException(HttpStatus.BAD_REQUEST, code, message, errors);
  }

  static validation(message: string, errors?: FieldErrors): AppException {
    return new AppException(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, message, errors);
  }

  static unauthenticated(
    message = 'Authentication credentials were not provided or are invalid.',
  ): AppException {
    // RFC 6750: a 401 names the scheme the client should authenticate with.
    return new AppException(
      HttpStatus.UNAUTHORIZED,
      ErrorCode.UNAUTHENTICATED,
      message,
      undefined,
      { 'WWW-Authenticate': 'Bearer' },
    );
  }

  static forbidden(
    message = 'You do not have permission to perform this action.',
    errors?: FieldErrors,
  ): AppException {
    return new AppException(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, message, errors);
  }

  static notFound(message = 'Not found.'): AppException {
    return new AppException(HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND, message);
  }

  static conflict(message: string, field?: string): AppException {
    const error = new AppException(HttpStatus.CONFLICT, ErrorCode.CONFLICT, message);
    error.conflictField = field;
    return error;
  }

  /** A refresh token that cannot be used (unknown, retired, expired, revoked). */
  static tokenInvalid(message: string): AppException {
    return new AppException(HttpStatus.UNAUTHORIZED, ErrorCode.TOKEN_INVALID, message);
  }

  static rateLimited(retryAfterSeconds: number, message = RATE_LIMITED_SENTENCE): AppException {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new AppException(
      HttpStatus.TOO_MANY_REQUESTS,
      ErrorCode.RATE_LIMITED,
      message,
      undefined,
      {
        'Retry-After': String(seconds),
      },
    );
  }

  static unavailable(
    message = SERVICE_UNAVAILABLE_MESSAGE,
    extra?: Record<string, unknown>,
  ): AppException {
    return new AppException(
      HttpStatus.SERVICE_UNAVAILABLE,
      ErrorCode.SERVICE_UNAVAILABLE,
      message,
      undefined,
      undefined,
      extra,
    );
  }
}
