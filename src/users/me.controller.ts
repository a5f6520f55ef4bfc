import { Body, Controller, Delete, Get, HttpCode, Patch } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserResponse } from './dto/user.response';
import { UserAccountsService } from './user-accounts.service';
import { UserLifecycleService } from './user-lifecycle.service';
import { UsersQueryService } from './users-query.service';

/** The caller's own account; `profile` is the OTP Auth System's name for `me`. */
@ApiTags('users')
@Controller('users')
export class MeController {
  constructor(
    private readonly query: UsersQueryService,
    private readonly accounts: UserAccountsService,
    private readonly lifecycle: UserLifecycleService,
  ) {}

  @Get(['me', 'profile'])
  @ApiOperation({ summary: 'Your account' })
  @ApiOkResponse({ type: UserResponse })
  get(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.query.get(user.id);
  }

  @Patch(['me', 'profile'])
  @ApiOperation({
    summary: 'Update your account',
    description:
      'Profile fields (full_name, mobile, gender, dob, address, city, state, country, pincode, locale); admins may also change their email.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({
    400: 'A field error',
    403: '`You are not allowed to update these fields.` with the fields in `errors`',
    409: '`Email already registered.`, or an admin removing their own admin rights or access',
  })
  @ApiJsonBodyErrors()
  update(
    @CurrentUser() user: AuthUser,
    @Body() dto: UpdateUserDto,
    @Client() client: ClientInfo,
  ): Promise<UserResponse> {
    return this.accounts.update(user, user.id, dto, client);
  }

  @Delete(['me', 'profile'])
  @HttpCode(204)
  @ApiOperation({
    summary: 'Close your account',
    description:
      'Soft-deletes your account and ends all your sessions at once. Admins must ask another admin.',
  })
  @ApiNoContentResponse({ description: 'Account closed; every token of it is refused from now on' })
  @ApiErrors({ 409: '`Admins cannot delete their own account. Ask another admin.`' })
  remove(@CurrentUser() user: AuthUser, @Client() client: ClientInfo): Promise<void> {
    return this.lifecycle.removeSelf(user, client);
  }
}
