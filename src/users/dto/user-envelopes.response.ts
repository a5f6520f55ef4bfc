import { ApiProperty } from '@nestjs/swagger';
import { UserResponse } from './user.response';

export class PageMeta {
  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;

  @ApiProperty({ example: 1, description: 'Users matching the filters, over all pages' })
  total!: number;
}

/** MailGuard's envelope: `data` is always a list, here of the one user concerned. */
export class UserEnvelope {
  @ApiProperty({ type: [UserResponse] })
  data!: UserResponse[];

  @ApiProperty({
    example: 'Details updated successfully.',
    description:
      '`User added successfully` (create), `Details updated successfully.` (update), `User deleted successfully` (delete)',
  })
  message!: string;
}

export class UserListEnvelope {
  @ApiProperty({ type: [UserResponse] })
  data!: UserResponse[];

  @ApiProperty({ example: 'Data retrieved successfully' })
  message!: string;

  @ApiProperty({ type: PageMeta })
  meta!: PageMeta;
}

export function envelope(user: UserResponse, message: string): UserEnvelope {
  return { data: [user], message };
}
