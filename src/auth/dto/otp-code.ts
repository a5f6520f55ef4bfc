import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** A JSON number is taken as its digits; arrays, objects and booleans stay and fail @IsString. */
export function digitsOf({ value }: { value: unknown }): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? String(value)
    : value;
}

/** A required emailed code (`otp`), checked in this order. */
export function IsOtpCode(): PropertyDecorator {
  return applyDecorators(
    Transform(digitsOf),
    IsNotEmpty({ message: 'OTP is required.' }),
    IsString({ message: 'OTP must be a string of digits.' }),
    MaxLength(32, { message: 'OTP is too long.' }),
  );
}
