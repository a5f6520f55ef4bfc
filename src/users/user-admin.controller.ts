import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Caller, ClientInfo } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentCaller } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { uuidParam } from '../common/pipes/uuid-param.pipe';
import { UserResponse } from './dto/user.response';
import { UserLifecycleService } from './user-lifecycle.service';
import { USER_NOT_FOUND } from './users-query.service';

const userId = uuidParam(USER_NOT_FOUND);

/** REST routes on `:id` that only admins may call: soft delete and restore. */
@ApiTags('users')
@ApiParam({ name: 'id', format: 'uuid', description: 'User id' })
@Controller('users')
export class UserAdminController {
  constructor(private readonly lifecycle: UserLifecycleService) {}

  @Delete(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Soft-delete a user (admin)',
    description:
      'Sets `is_active=false` and the deletion time, keeps the row, ends every session at once.',
  })
  @ApiOkResponse({ type: UserResponse, description: 'The user, now deleted' })
  @ApiErrors({
    403: 'Not an admin',
    404: '`User not found.`',
    409: '`User already deleted.`, deleting yourself, or the last active admin',
  })
  remove(
    @CurrentCaller() user: Caller,
    @Param('id', userId) id: string,
    @Client() client: ClientInfo,
  ): Promise<UserResponse> {
    return this.lifecycle.remove(user, id, client);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Restore a deleted or deactivated user (admin)',
    description: 'Clears the deletion and sets `is_active=true`; the user can sign in again.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({ 403: 'Not an admin', 404: '`User not found.`', 409: '`User is already active.`' })
  restore(
    @CurrentCaller() user: Caller,
    @Param('id', userId) id: string,
    @Client() client: ClientInfo,
  ): Promise<UserResponse> {
    return this.lifecycle.restore(user, id, client);
  }
}
