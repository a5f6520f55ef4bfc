import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import commonPasswords from '@zxcvbn-ts/language-common/dist/passwords.json.cjs';
import { IsNotEmpty, IsString, ValidateBy, ValidationArguments } from 'class-validator';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// zxcvbn-ts' list of ~49k common passwords, all lower-case; built once. Only this file of the
// package is loaded: its other dictionaries (keyboard graphs, diceware) would cost ~10 MB for nothing.
const COMMON_PASSWORDS = new Set(commonPasswords);

/**
 * The first rule a new password breaks, or undefined when it is acceptable: 8–128 characters
 * (code points), not the email address or its local part, not a common password.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return `Password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (length > PASSWORD_MAX_LENGTH)
    return `Password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  const lower = password.trim().toLowerCase();
  if (typeof email === 'string' && email.includes('@')) {
    const address = email.trim().toLowerCase();
    if (lower === address || lower === address.slice(0, address.lastIndexOf('@')))
      return 'Password must not be your email address.';
  }
  if (COMMON_PASSWORDS.has(lower))
    return 'This password is too common. Choose one that is harder to guess.';
  return undefined;
}

/** A required new password that follows the policy; `emailField` names the account's email. */
export function IsAcceptablePassword(emailField = 'email'): PropertyDecorator {
  const emailOf = (args: ValidationArguments): string | undefined => {
    const value = (args.object as Record<string, unknown>)[emailField];
    return typeof value === 'string' ? value : undefined;
  };
  return applyDecorators(
    ApiProperty({
      example: 'k3!vQ9#zLm-2026',
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description: 'Not the email, not a common password',
    }),
    IsNotEmpty({ message: 'Password is required.' }),
    IsString({ message: 'Password must be a string.' }),
    ValidateBy({
      name: 'isAcceptablePassword',
      validator: {
        validate: (value: unknown, args) =>
          typeof value === 'string' && passwordProblem(value, emailOf(args!)) === undefined,
        defaultMessage: (args) =>
          passwordProblem(String(args!.value), emailOf(args!)) ?? 'Password is not acceptable.',
      },
    }),
  );
}
