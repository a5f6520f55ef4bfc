import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DateOfBirth,
  Flag,
  FullName,
  Mobile,
  OptionalText,
  Pincode,
  RequiredEmail,
} from './user-field.decorators';
import { MailLocaleField } from '../../mail/mail-locale.decorator';

/** POST /api/users/ (admin). Email, full name and mobile are required, like MailGuard's. */
export class CreateUserDto {
  @ApiProperty({ example: 'newuser@example.com', description: 'Canonicalized; must be unused' })
  @RequiredEmail()
  email!: string;

  @ApiProperty({ example: 'New User', minLength: 1, maxLength: 150 })
  @FullName(true)
  full_name!: string;

  @ApiProperty({ example: '1234567890', description: '7 to 15 digits, optionally starting with +' })
  @Mobile(true)
  mobile!: string;

  @ApiPropertyOptional({ example: 'male', nullable: true, type: String, maxLength: 20 })
  @OptionalText('Gender', 20)
  gender?: string | null;

  @ApiPropertyOptional({ example: '1992-11-05', nullable: true, type: String, format: 'date' })
  @DateOfBirth()
  dob?: string | null;

  @ApiPropertyOptional({ example: '4 Park Street', nullable: true, type: String, maxLength: 255 })
  @OptionalText('Address', 255)
  address?: string | null;

  @ApiPropertyOptional({ example: 'Kolkata', nullable: true, type: String, maxLength: 100 })
  @OptionalText('City', 100)
  city?: string | null;

  @ApiPropertyOptional({ example: 'West Bengal', nullable: true, type: String, maxLength: 100 })
  @OptionalText('State', 100)
  state?: string | null;

  @ApiPropertyOptional({ example: 'India', nullable: true, type: String, maxLength: 100 })
  @OptionalText('Country', 100)
  country?: string | null;

  @ApiPropertyOptional({ example: '700016', nullable: true, type: String })
  @Pincode()
  pincode?: string | null;

  @MailLocaleField(
    'Language of the user’s mails (one of the bundled locales); null: follow Accept-Language',
    true,
  )
  locale?: string | null;

  @ApiPropertyOptional({ example: false, default: false, description: 'Make the account an admin' })
  @Flag('is_staff')
  is_staff?: boolean;
}
