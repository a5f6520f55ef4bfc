import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsAcceptablePassword } from '../password-policy';

/** POST /api/users/me/password. */
export class ChangePasswordDto {
  @ApiPropertyOptional({
    example: 'k3!vQ9#zLm-2026',
    description: 'Required when the account has a password; a wrong one counts as a failed login',
  })
  @IsOptional()
  @IsString({ message: 'Password must be a string.' })
  @MaxLength(1024, { message: 'Password is too long.' })
  current_password?: string;

  // Not the email either: the service checks that against the account's address.
  @IsAcceptablePassword()
  new_password!: string;
}
