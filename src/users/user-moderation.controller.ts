import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, ClientInfo } from '../common/auth/auth-user';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentCaller } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { uuidParam } from '../common/pipes/uuid-param.pipe';
import { AdminSessionListResponse } from '../sessions/dto/session.response';
import { SESSION_NOT_FOUND } from '../sessions/user-sessions.service';
import { BanUserDto } from './dto/ban-user.dto';
import { UserResponse } from './dto/user.response';
import { UserBansService } from './user-bans.service';
import { UserSessionsAdminService } from './user-sessions-admin.service';
import { USER_NOT_FOUND } from './users-query.service';

const userId = uuidParam(USER_NOT_FOUND);

/** Admin operations on one user: their sessions, bans (API.md "Admin operations"). */
@ApiTags('admin')
@ApiParam({ name: 'id', format: 'uuid', description: 'User id' })
@Roles('admin')
@Controller('admin/users')
export class UserModerationController {
  constructor(
    private readonly sessions: UserSessionsAdminService,
    private readonly bans: UserBansService,
  ) {}

  @Get(':id/sessions')
  @ApiOperation({ summary: "A user's live sessions (admin)" })
  @ApiOkResponse({ type: AdminSessionListResponse })
  @ApiErrors({ 403: 'Not an admin', 404: '`User not found.`' })
  listSessions(@Param('id', userId) id: string): Promise<AdminSessionListResponse> {
    return this.sessions.list(id);
  }

  @Delete(':id/sessions/:sid')
  @HttpCode(204)
  @ApiParam({ name: 'sid', format: 'uuid', description: 'Session id' })
  @ApiOperation({
    summary: "End one of a user's sessions (admin)",
    description: 'Its tokens are refused from the next request on, on every instance.',
  })
  @ApiNoContentResponse({ description: 'The session ended' })
  @ApiErrors({
    403: 'Not an admin',
    404: '`User not found.` or `Session not found.` (not a live session of that user)',
  })
  revokeSession(
    @CurrentCaller() admin: Caller,
    @Param('id', userId) id: string,
    @Param('sid', uuidParam(SESSION_NOT_FOUND)) sid: string,
    @Client() client: ClientInfo,
  ): Promise<void> {
    return this.sessions.revoke(admin, id, sid, client);
  }

  @Delete(':id/sessions')
  @HttpCode(204)
  @ApiOperation({ summary: "End all of a user's sessions (admin)" })
  @ApiNoContentResponse({ description: 'Every session ended' })
  @ApiErrors({ 403: 'Not an admin', 404: '`User not found.`' })
  revokeAllSessions(
    @CurrentCaller() admin: Caller,
    @Param('id', userId) id: string,
    @Client() client: ClientInfo,
  ): Promise<void> {
    return this.sessions.revokeAll(admin, id, client);
  }

  @Post(':id/ban')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ban a user (admin)',
    description:
      'Ends every session at once; until `banned_until` the account is answered like an inactive ' +
      'one (no code mail, no login, refresh or token use). Without `until` the ban lasts until lifted.',
  })
  @ApiOkResponse({ type: UserResponse, description: 'The user, `banned_until` set' })
  @ApiErrors({
    400: 'Missing or over-long reason, `until` not in the future, banning yourself, or the last active admin',
    403: 'Not an admin',
    404: '`User not found.`',
  })
  @ApiJsonBodyErrors()
  ban(
    @CurrentCaller() admin: Caller,
    @Param('id', userId) id: string,
    @Body() dto: BanUserDto,
    @Client() client: ClientInfo,
  ): Promise<UserResponse> {
    return this.bans.ban(admin, id, dto, client);
  }

  @Post(':id/unban')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a ban (admin)' })
  @ApiOkResponse({ type: UserResponse, description: 'The user, `banned_until` null' })
  @ApiErrors({ 403: 'Not an admin', 404: '`User not found.`' })
  unban(
    @CurrentCaller() admin: Caller,
    @Param('id', userId) id: string,
    @Client() client: ClientInfo,
  ): Promise<UserResponse> {
    return this.bans.unban(admin, id, client);
  }
}
