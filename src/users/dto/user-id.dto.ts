import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import { UpdateUserDto } from './update-user.dto';

const ID_DESCRIPTION =
  'The user’s UUID. Anything else is treated as an id that does not exist (MailGuard clients sent numbers).';

/** DELETE /api/users/ (MailGuard): the user to delete, in the body. */
export class UserIdDto {
  @ApiProperty({
    format: 'uuid',
    example: '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11',
    description: ID_DESCRIPTION,
  })
  @IsDefined({ message: 'ID is required.' })
  id!: unknown;
}

/** PATCH /api/users/ (MailGuard): the user to change and the fields to change. */
export class MailGuardUpdateUserDto extends UpdateUserDto {
  @ApiProperty({
    format: 'uuid',
    example: '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11',
    description: ID_DESCRIPTION,
  })
  @IsDefined({ message: 'ID is required.' })
  id!: unknown;
}
