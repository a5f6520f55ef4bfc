import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, ClientInfo } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentCaller } from '../common/decorators/current-user.decorator';
import { AcceptsApiKeys } from '../common/decorators/api-key-access.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { UserEnvelope, UserListEnvelope } from './dto/user-envelopes.response';
import { MailGuardUpdateUserDto, UserIdDto } from './dto/user-id.dto';
import { MailGuardUsersService } from './mailguard-users.service';

/** MailGuard's user management: the id travels in the body, answers use `{data: [...], message}`. */
@ApiTags('users')
@Controller('users')
export class MailGuardUsersController {
  constructor(private readonly users: MailGuardUsersService) {}

  @Get()
  @AcceptsApiKeys('admin')
  @ApiOperation({
    summary: 'List users (admin) or get yourself (MailGuard)',
    description:
      'Admins get a page of users, active ones unless `is_active=false` (deactivated and deleted). ' +
      'Everyone else gets a list holding only themselves; the query is then ignored.',
  })
  @ApiOkResponse({ type: UserListEnvelope })
  @ApiErrors({
    400: 'A bad query: `limit must be a whole number from 1 to 100.`, unknown ordering…',
  })
  list(@CurrentCaller() user: Caller, @Query() query: ListUsersQuery): Promise<UserListEnvelope> {
    return this.users.list(user, query);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Add a user (admin, MailGuard)',
    description: 'The person signs in later with a code sent to the email.',
  })
  @ApiCreatedResponse({
    type: UserEnvelope,
    description: '`{"data":[user],"message":"User added successfully"}`',
  })
  @ApiErrors({
    400: '`Email, Full Name, and Mobile are required.`, `Email already registered.` or a field error',
    403: 'Not an admin',
  })
  @ApiJsonBodyErrors()
  create(
    @CurrentCaller() user: Caller,
    @Body() dto: CreateUserDto,
    @Client() client: ClientInfo,
  ): Promise<UserEnvelope> {
    return this.users.create(user, dto, client);
  }

  @Patch()
  @HttpCode(200)
  @AcceptsApiKeys('admin')
  @ApiOperation({
    summary: 'Update a user by the id in the body (MailGuard)',
    description:
      'Admins: anyone, any field (`email`, `is_active`, `is_staff` end that user’s sessions). Others: their own ' +
      'id and profile fields only (full_name, mobile, gender, dob, address, city, state, country, pincode, locale).',
  })
  @ApiOkResponse({
    type: UserEnvelope,
    description: '`{"data":[user],"message":"Details updated successfully."}`',
  })
  @ApiErrors({
    400: '`ID does not exist.` (admin), `Email already registered.`, own demotion/deactivation, the last active admin, or a field error',
    403: '`You are not authorized to update other users.` (also for ids that do not exist) or `You are not allowed to update these fields.` with the fields in `errors`',
  })
  @ApiJsonBodyErrors()
  update(
    @CurrentCaller() user: Caller,
    @Body() dto: MailGuardUpdateUserDto,
    @Client() client: ClientInfo,
  ): Promise<UserEnvelope> {
    return this.users.update(user, dto, client);
  }

  @Delete()
  @Roles('admin')
  @ApiOperation({
    summary: 'Soft-delete a user by the id in the body (admin, MailGuard)',
    description:
      'Sets `is_active=false` and the deletion time, keeps the row, ends every session at once.',
  })
  @ApiOkResponse({
    type: UserEnvelope,
    description: '`{"data":[user],"message":"User deleted successfully"}`',
  })
  @ApiErrors({
    400: '`ID does not exist.`, `User already deleted.`, deleting yourself, or the last active admin',
    403: 'Not an admin',
  })
  @ApiJsonBodyErrors()
  remove(
    @CurrentCaller() user: Caller,
    @Body() dto: UserIdDto,
    @Client() client: ClientInfo,
  ): Promise<UserEnvelope> {
    return this.users.remove(user, dto, client);
  }
}
