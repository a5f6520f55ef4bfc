import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Caller, ClientInfo } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentCaller } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { uuidParam } from '../common/pipes/uuid-param.pipe';
import { USER_NOT_FOUND } from '../users/users-query.service';
import { AccountLockService } from './account-lock.service';

/** Admins lift a password-login lock (Account protection). */
@ApiTags('admin')
@Controller('admin/users')
export class AccountLockAdminController {
  constructor(private readonly locks: AccountLockService) {}

  @Delete(':id/lockout')
  @HttpCode(204)
  @Roles('admin')
  @ApiParam({ name: 'id', format: 'uuid', description: 'User id' })
  @ApiOperation({
    summary: 'Unlock password login (admin)',
    description:
      'Clears the count of failed password logins in a row, which lifts the lock that ' +
      '`ACCOUNT_LOCK_THRESHOLD` failures put on password login. Idempotent.',
  })
  @ApiNoContentResponse({ description: 'Password login is open again' })
  @ApiErrors({ 403: 'Not an admin', 404: '`User not found.`' })
  async unlock(
    @CurrentCaller() admin: Caller,
    @Param('id', uuidParam(USER_NOT_FOUND)) id: string,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.locks.unlock(admin, id, client);
  }
}
