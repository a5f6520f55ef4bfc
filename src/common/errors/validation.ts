import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, FieldErrors } from './app.exception';
import { ErrorCode } from './error-codes';
import { findUnsafeInput } from './unsafe-input';

export const EMAIL_SYNTAX_CONSTRAINT = 'isCanonicalEmail';
export const INVALID_EMAIL_SENTENCE = 'Invalid email address.';

/** Constraints that say the value has the wrong JSON type; their message is the clearest one. */
const TYPE_CONSTRAINTS = new Set(['isString', 'isBoolean', 'isInt', 'isNumber', 'isArray']);

/**
 * The one failure a field reports. A value of the wrong JSON type gets the type's message (a
 * number where text belongs is "must be a string", not "too long"); a missing or null value
 * gets the first other one ("is required", the allowed length), never "must be a string".
 */
function chosenFailure(error: ValidationError): [name: string, message: string] | undefined {
  const failed = Object.entries(error.constraints ?? {});
  const present = error.value !== undefined && error.value !== null;
  return failed.find(([name]) => TYPE_CONSTRAINTS.has(name) === present) ?? failed[0];
}

/** Flattens class-validator errors to `{ field: [message] }`, nested fields as `a.b`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const chosen = chosenFailure(error);
    if (chosen)
      result[path] = [
        chosen[0] === 'whitelistValidation' ? 'This field is not allowed.' : chosen[1],
      ];
    Object.assign(result, toFieldErrors(error.children ?? [], path));
  }
  return result;
}

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
      if (problem)
        throw AppException.validation(
          problem.message,
          problem.field ? { [problem.field]: [problem.message] } : undefined,
        );
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
