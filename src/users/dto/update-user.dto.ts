import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  DateOfBirth,
  Flag,
  FullName,
  Mobile,
  OptionalEmail,
  OptionalText,
  Pincode,
} from './user-field.decorators';
import { MailLocaleField } from '../../mail/mail-locale.decorator';

/**
 * Every field a PATCH may carry. Which of them a caller may change is decided by the service:
 * regular users only their profile fields, admins all of them. `null` or `""` clears an optional
 * profile field.
 */
export class UpdateUserDto {
  @ApiPropertyOptional({
    example: 'new.address@example.com',
    description: '(admin) Canonicalized; ends the user’s sessions',
  })
  @OptionalEmail()
  email?: string;

  @ApiPropertyOptional({ example: 'Asha Rao', minLength: 1, maxLength: 150 })
  @FullName(false)
  full_name?: string;

  @ApiPropertyOptional({
    example: '+919876543210',
    nullable: true,
    type: String,
    description: '7 to 15 digits, optionally starting with +',
  })
  @Mobile(false)
  mobile?: string | null;

  @ApiPropertyOptional({
    example: 'female',
    nullable: true,
    type: String,
    maxLength: 20,
    description: 'Free text up to 20 characters, e.g. female, male, non-binary, other',
  })
  @OptionalText('Gender', 20)
  gender?: string | null;

  @ApiPropertyOptional({
    example: '1990-04-01',
    nullable: true,
    type: String,
    format: 'date',
    description: 'YYYY-MM-DD, a real date from 1900-01-01 up to today',
  })
  @DateOfBirth()
  dob?: string | null;

  @ApiPropertyOptional({ example: '12 MG Road', nullable: true, type: String, maxLength: 255 })
  @OptionalText('Address', 255)
  address?: string | null;

  @ApiPropertyOptional({ example: 'Bengaluru', nullable: true, type: String, maxLength: 100 })
  @OptionalText('City', 100)
  city?: string | null;

  @ApiPropertyOptional({ example: 'Karnataka', nullable: true, type: String, maxLength: 100 })
  @OptionalText('State', 100)
  state?: string | null;

  @ApiPropertyOptional({ example: 'India', nullable: true, type: String, maxLength: 100 })
  @OptionalText('Country', 100)
  country?: string | null;

  @ApiPropertyOptional({
    example: '560001',
    nullable: true,
    type: String,
    description: '3 to 12 letters, digits, spaces or dashes',
  })
  @Pincode()
  pincode?: string | null;

  @MailLocaleField(
    'Language of the user’s mails (one of the bundled locales); null: follow Accept-Language',
    true,
  )
  locale?: string | null;

  @ApiPropertyOptional({
    example: true,
    description:
      '(admin) false deactivates and ends the user’s sessions; true reactivates (also a deleted user)',
  })
  @Flag('is_active')
  is_active?: boolean;

  @ApiPropertyOptional({
    example: false,
    description: '(admin) Admin rights; ends the user’s sessions',
  })
  @Flag('is_staff')
  is_staff?: boolean;
}
