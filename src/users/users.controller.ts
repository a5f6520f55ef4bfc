import { Body, Controller, Get, Param, Patch, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Caller, ClientInfo } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentCaller } from '../common/decorators/current-user.decorator';
import { AcceptsApiKeys } from '../common/decorators/api-key-access.decorator';
import { SelfOrAdminGuard } from '../common/guards/self-or-admin.guard';
import { uuidParam } from '../common/pipes/uuid-param.pipe';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserResponse } from './dto/user.response';
import { UserAccountsService } from './user-accounts.service';
import { USER_NOT_FOUND, UsersQueryService } from './users-query.service';

const userId = uuidParam(USER_NOT_FOUND);

/**
 * REST spellings for frontends: plain user resources, 404 and 409 where they apply. A user reads
 * and updates themselves here; the admin-only routes on `:id` are in user-admin.controller.ts.
 */
@ApiTags('users')
@ApiParam({ name: 'id', format: 'uuid', description: 'User id' })
@Controller('users')
export class UsersController {
  constructor(
    private readonly query: UsersQueryService,
    private readonly accounts: UserAccountsService,
  ) {}

  @Get(':id')
  @UseGuards(SelfOrAdminGuard)
  @AcceptsApiKeys('admin')
  @ApiOperation({
    summary: 'Get a user (self or admin)',
    description: 'Admins also see deactivated and deleted users.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({
    403: 'Another user’s id, existing or not (non-admins)',
    404: '`User not found.` (admins; also for ids that are not UUIDs)',
  })
  get(@Param('id', userId) id: string): Promise<UserResponse> {
    return this.query.get(id);
  }

  @Patch(':id')
  @UseGuards(SelfOrAdminGuard)
  @AcceptsApiKeys('admin')
  @ApiOperation({
    summary: 'Update a user (self or admin)',
    description:
      'Non-admins: profile fields of themselves only. Admins: any field; `email`, `is_active`, `is_staff` end the user’s sessions.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({
    400: 'A field error, e.g. `Mobile must be 7 to 15 digits, optionally starting with +.`',
    403: 'Another user’s id (non-admins), or `You are not allowed to update these fields.` with the fields in `errors`',
    404: '`User not found.`',
    409: '`Email already registered.`, your own demotion or deactivation, or the last active admin',
  })
  @ApiJsonBodyErrors()
  update(
    @CurrentCaller() user: Caller,
    @Param('id', userId) id: string,
    @Body() dto: UpdateUserDto,
    @Client() client: ClientInfo,
  ): Promise<UserResponse> {
    return this.accounts.update(user, id, dto, client);
  }
}
