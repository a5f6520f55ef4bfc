import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { IsCanonicalEmail } from '../../common/email/email.decorators';
import { MailLocaleField } from '../../mail/mail-locale.decorator';
import { IsAcceptablePassword } from '../password-policy';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

// Decorators stacked on a property run bottom-up; applyDecorators keeps them in reading order.
const FullName = () =>
  applyDecorators(
    Transform(trim),
    IsNotEmpty({ message: 'Full name is required.' }),
    IsString({ message: 'Full name must be a string.' }),
    MaxLength(150, { message: 'Full name must be at most 150 characters long.' }),
  );

const PhoneNumber = () =>
  applyDecorators(
    IsOptional(),
    Transform(trim),
    IsString({ message: 'Phone number must be a string.' }),
    Matches(/^\+?\d{7,15}$/, {
      message: 'Enter a valid phone number: 7 to 15 digits, optionally starting with +.',
    }),
  );

const MatchesPassword = () =>
  applyDecorators(
    IsOptional(),
    IsString({ message: 'Password confirmation must be a string.' }),
    ValidateBy({
      name: 'matchesPassword',
      validator: {
        validate: (value: unknown, args) =>
          value === (args!.object as { password?: unknown }).password,
        defaultMessage: () => 'Passwords do not match.',
      },
    }),
  );

export class RegisterDto {
  @ApiProperty({ example: 'user@example.com' })
  @IsCanonicalEmail()
  email!: string;

  @IsAcceptablePassword('email')
  password!: string;

  @ApiProperty({ example: 'Rahul Chavda', maxLength: 150 })
  @FullName()
  full_name!: string;

  @ApiPropertyOptional({ example: 'k3!vQ9#zLm-2026', description: 'Must equal `password`' })
  @MatchesPassword()
  confirm_password?: string;

  @ApiPropertyOptional({
    example: '+919876543210',
    description: '7 to 15 digits, optionally after a +; stored as the user’s mobile',
  })
  @PhoneNumber()
  phone_number?: string;

  @MailLocaleField('Language of the mail; else the account’s locale, else Accept-Language')
  locale?: string;
}
