import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, ValidateBy } from 'class-validator';
import { EMAIL_SYNTAX_CONSTRAINT } from '../errors/validation';
import { canonicalizeEmail } from './canonical-email';

export const INVALID_EMAIL_MESSAGE = 'Enter a valid email address.';

/**
 * A required email field: canonicalized on the way in, refused with a clear message otherwise.
 * Validation runs on the canonical value, so every later layer sees only canonical emails.
 */
export function IsCanonicalEmail(requiredMessage = 'Email is required.'): PropertyDecorator {
  return applyDecorators(
    // Blank is missing, not malformed: it gets the required message.
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && value.trim() === '' ? '' : (canonicalizeEmail(value) ?? value),
    ),
    IsNotEmpty({ message: requiredMessage }),
    ValidateBy({
      name: EMAIL_SYNTAX_CONSTRAINT,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && canonicalizeEmail(value) === value,
        defaultMessage: () => INVALID_EMAIL_MESSAGE,
      },
    }),
  );
}
