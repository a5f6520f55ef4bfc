import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { AppException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-codes';
import {
  chosenFailure,
  EMAIL_SYNTAX_CONSTRAINT,
  INVALID_EMAIL_SENTENCE,
  toFieldErrors,
} from '../errors/validation';
import { findUnsafeInput, unsafeInputError } from '../http/unsafe-input';

export const BODY_NOT_OBJECT = 'Request body must be a JSON object.';

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuses what no handler can store or walk (NUL characters, deep nesting) before validating. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value !== undefined && !isJsonObject(value))
      throw AppException.validation(BODY_NOT_OBJECT);
    if (metadata.type !== 'custom') {
      const problem = findUnsafeInput(value);
      if (problem) throw unsafeInputError(problem);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** The strict global pipe: unknown fields are refused, types are converted only where declared. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // Every constraint is checked so that toFieldErrors can prefer the wrong-type message.
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      // An address we would not mail is the contract's INVALID_EMAIL, whichever route it came to.
      if (errors[0] && chosenFailure(errors[0])?.[0] === EMAIL_SYNTAX_CONSTRAINT) {
        return AppException.badRequest(
          ErrorCode.INVALID_EMAIL,
          INVALID_EMAIL_SENTENCE,
          fieldErrors,
        );
      }
      // Otherwise the first problem is the sentence; `errors` lists every field.
      const first = Object.values(fieldErrors)[0]?.[0] ?? 'Validation failed.';
      return AppException.validation(first.endsWith('.') ? first : `${first}.`, fieldErrors);
    },
  });
}
