import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** A JSON number is taken as its digits; arrays, objects and booleans stay and fail @IsString. */
export function digitsOf({ value }: { value: unknown }): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? String(value)
    : value;
}

export const OTP_REQUIRED = 'OTP is required.';

/**
 * An emailed code (`otp`, or its alias `token`), checked in this order. `optional: 'unless-rule'`
 * leaves presence to an either-or rule (RequiredUnless) placed before it.
 */
export function IsOtpCode({
  optional = false,
}: { optional?: boolean | 'unless-rule' } = {}): PropertyDecorator {
  const presence =
    optional === 'unless-rule'
      ? []
      : [optional ? IsOptional() : IsNotEmpty({ message: OTP_REQUIRED })];
  return applyDecorators(
    ...presence,
    Transform(digitsOf),
    IsString({ message: 'OTP must be a string of digits.' }),
    MaxLength(32, { message: 'OTP is too long.' }),
  );
}
