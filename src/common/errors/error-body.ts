import { STATUS_CODES } from 'node:http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ECHO_CHARS } from '../http/limits';
import { ErrorCode } from './error-codes';
import { FieldErrors } from './app.exception';

/** The one error shape of the API; also the Swagger schema of every error response. */
export class ErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ enum: Object.values(ErrorCode), example: ErrorCode.VALIDATION_FAILED })
  code!: ErrorCode;

  @ApiProperty({ example: 'Email is required.' })
  message!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { email: ['Email is required.'] },
  })
  errors?: FieldErrors;
}

export function errorBody(
  status: number,
  code: ErrorCode,
  message: string,
  errors?: FieldErrors,
): ErrorBody {
  const body: ErrorBody = {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    code,
    message,
  };
  if (errors && Object.keys(errors).length > 0) body.errors = withShortNames(errors);
  return body;
}

/** Field names come from the request (unknown keys, query names): never quote more than a line. */
function withShortNames(errors: FieldErrors): FieldErrors {
  const names = Object.keys(errors);
  if (names.every((name) => name.length <= MAX_ECHO_CHARS)) return errors;
  return Object.fromEntries(
    names.map((name) => [
      name.length <= MAX_ECHO_CHARS ? name : `${name.slice(0, MAX_ECHO_CHARS - 1)}…`,
      errors[name],
    ]),
  );
}
