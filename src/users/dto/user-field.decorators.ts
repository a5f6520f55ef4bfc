import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { IsCanonicalEmail } from '../../common/email/email.decorators';

export const REQUIRED_FOR_CREATE = 'Email, Full Name, and Mobile are required.';

export const FULL_NAME_MESSAGE = 'Full name must be 1 to 150 characters.';
export const MOBILE_MESSAGE = 'Mobile must be 7 to 15 digits, optionally starting with +.';
export const PINCODE_MESSAGE = 'Pincode must be 3 to 12 letters, digits, spaces or dashes.';
export const DOB_FORMAT_MESSAGE = 'Date of birth must be a real date in the form YYYY-MM-DD.';
export const DOB_FUTURE_MESSAGE = 'Date of birth cannot be in the future.';
export const DOB_EARLIEST = '1900-01-01';

const MOBILE = /^\+?\d{7,15}$/;
const PINCODE = /^[A-Za-z0-9][A-Za-z0-9 -]{1,10}[A-Za-z0-9]$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);
/** Optional profile text: trimmed, and an empty string clears the field like null does. */
const trimToNull = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() || null : value,
);
/** Validates only when the field was sent; unlike IsOptional, a null is still validated (and refused). */
const IfPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Why a `YYYY-MM-DD` date of birth is refused, or null when it is fine. */
export function dobProblem(value: unknown, today = new Date()): string | null {
  if (typeof value !== 'string') return DOB_FORMAT_MESSAGE;
  const match = ISO_DATE.exec(value);
  if (!match) return DOB_FORMAT_MESSAGE;
  // Before the calendar check: Date.UTC reads years 0-99 as 1900-1999.
  if (value < DOB_EARLIEST) return `Date of birth cannot be before ${DOB_EARLIEST}.`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!real) return DOB_FORMAT_MESSAGE;
  return value > today.toISOString().slice(0, 10) ? DOB_FUTURE_MESSAGE : null;
}

export function RequiredEmail(): PropertyDecorator {
  return IsCanonicalEmail(REQUIRED_FOR_CREATE);
}

export function OptionalEmail(): PropertyDecorator {
  return applyDecorators(IfPresent(), IsCanonicalEmail('Email cannot be empty.'));
}

export function FullName(required: boolean): PropertyDecorator {
  return applyDecorators(
    trim,
    required ? IsNotEmpty({ message: REQUIRED_FOR_CREATE }) : IfPresent(),
    IsString({ message: 'Full name must be a string.' }),
    Length(1, 150, { message: FULL_NAME_MESSAGE }),
  );
}

export function Mobile(required: boolean): PropertyDecorator {
  return applyDecorators(
    required ? trim : trimToNull,
    required ? IsNotEmpty({ message: REQUIRED_FOR_CREATE }) : IsOptional(),
    IsString({ message: 'Mobile must be a string.' }),
    Matches(MOBILE, { message: MOBILE_MESSAGE }),
  );
}

/** Optional free text up to `max` characters; null or "" clears it. */
export function OptionalText(label: string, max: number): PropertyDecorator {
  return applyDecorators(
    trimToNull,
    IsOptional(),
    IsString({ message: `${label} must be a string.` }),
    MaxLength(max, { message: `${label} must be text of at most ${max} characters.` }),
  );
}

export function Pincode(): PropertyDecorator {
  return applyDecorators(
    trimToNull,
    IsOptional(),
    IsString({ message: 'Pincode must be a string.' }),
    Matches(PINCODE, { message: PINCODE_MESSAGE }),
  );
}

export function DateOfBirth(): PropertyDecorator {
  return applyDecorators(
    trimToNull,
    IsOptional(),
    ValidateBy({
      name: 'isDateOfBirth',
      validator: {
        validate: (value: unknown) => dobProblem(value) === null,
        defaultMessage: (args) => dobProblem(args?.value) ?? DOB_FORMAT_MESSAGE,
      },
    }),
  );
}

/** A strict JSON boolean: "true" as a string is refused, not converted. */
export function Flag(name: string): PropertyDecorator {
  return applyDecorators(IfPresent(), IsBoolean({ message: `${name} must be true or false.` }));
}
