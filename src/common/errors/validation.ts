import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, FieldErrors } from './app.exception';
import { ErrorCode } from './error-codes';

export const EMAIL_SYNTAX_CONSTRAINT = 'isCanonicalEmail';
export const INVALID_EMAIL_SENTENCE = 'Invalid email address.';

/** Flattens class-validator errors to `{ field: [messages] }`, nested fields as `a.b`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const messages = Object.entries(constraints).map(([name, message]) =>
      name === 'whitelistValidation' ? 'This field is not allowed.' : message,
    );
    if (messages.length > 0) result[path] = messages;
    Object.assign(result, toFieldErrors(error.children ?? [], path));
  }
  return result;
}

/** The strict global pipe: unknown fields are refused, types are converted only where declared. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      // An address we would not mail is the contract's INVALID_EMAIL, whichever route it came to.
      if (errors[0]?.constraints?.[EMAIL_SYNTAX_CONSTRAINT]) {
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
