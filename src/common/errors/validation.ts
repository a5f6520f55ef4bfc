import { ValidationError } from '@nestjs/common';
import { FieldErrors } from './app.exception';

export const EMAIL_SYNTAX_CONSTRAINT = 'isCanonicalEmail';
/** The sentence of every 400 INVALID_EMAIL, whichever check refused the address. */
export const INVALID_EMAIL_SENTENCE = 'Invalid email address.';

/** Constraints that say the value has the wrong JSON type; their message is the clearest one. */
const TYPE_CONSTRAINTS = new Set(['isString', 'isBoolean', 'isInt', 'isNumber', 'isArray']);

/**
 * The one failure a field reports. A value of the wrong JSON type gets the type's message (a
 * number where text belongs is "must be a string", not "too long"); a missing or null value
 * gets the first other one ("is required", the allowed length), never "must be a string".
 */
export function chosenFailure(error: ValidationError): [name: string, message: string] | undefined {
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
