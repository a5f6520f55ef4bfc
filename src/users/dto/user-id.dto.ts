import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import { UpdateUserDto } from './update-user.dto';

/** The id in a MailGuard body: required, and anything but a UUID counts as an unknown id. */
function BodyUserId(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      format: 'uuid',
      example: '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11',
      description:
        'The user’s UUID. Anything else is treated as an id that does not exist (MailGuard clients sent numbers).',
    }),
    IsDefined({ message: 'ID is required.' }),
  );
}

/** DELETE /api/users/ (MailGuard): the user to delete, in the body. */
export class UserIdDto {
  @BodyUserId()
  id!: unknown;
}

/** PATCH /api/users/ (MailGuard): the user to change and the fields to change. */
export class MailGuardUpdateUserDto extends UpdateUserDto {
  @BodyUserId()
  id!: unknown;
}
