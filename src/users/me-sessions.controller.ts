import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentUser } from '../common/decorators/current-user.decorator';
import { uuidParam } from '../common/pipes/uuid-param.pipe';
import { SessionListResponse } from '../sessions/dto/session.response';
import { SESSION_NOT_FOUND, UserSessionsService } from '../sessions/user-sessions.service';

/** The caller's signed-in devices: the route lives with the other `me` routes, the sessions in sessions/. */
@ApiTags('sessions')
@Controller('users/me/sessions')
export class MeSessionsController {
  constructor(private readonly sessions: UserSessionsService) {}

  @Get()
  @ApiOperation({
    summary: 'Your signed-in devices',
    description: 'Live sessions only (not revoked, not expired), most recently used first.',
  })
  @ApiOkResponse({ type: SessionListResponse })
  list(@CurrentUser() user: AuthUser): Promise<SessionListResponse> {
    return this.sessions.list(user);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out one of your devices',
    description:
      'Its tokens are refused from the next request on. The current session may be named too.',
  })
  @ApiNoContentResponse({ description: 'The session ended' })
  @ApiErrors({ 404: '`Session not found.`: not one of your live sessions' })
  revoke(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam(SESSION_NOT_FOUND)) id: string,
    @Client() client: ClientInfo,
  ): Promise<void> {
    return this.sessions.revoke(user, id, client);
  }
}
