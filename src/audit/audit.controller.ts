import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { AuditQueryService } from './audit-query.service';
import { AuditPageQuery, AuditQuery } from './dto/audit-query.dto';
import { AuditPageResponse } from './dto/audit-event.response';

/** The audit log (admins) and a user's own activity. */
@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get('admin/audit')
  @Roles('admin')
  @ApiOperation({
    summary: 'The audit log (admin)',
    description:
      'Newest first. Filters combine with AND; `email` matches the account of the address and the ' +
      'keyed hash failures of unknown emails carry. Page with `next_cursor` (stable while events are added).',
  })
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiErrors({ 400: 'A bad filter, time, limit (over 500) or cursor', 403: 'Not an admin' })
  list(@Query() query: AuditQuery): Promise<AuditPageResponse> {
    return this.audit.list(query);
  }

  @Get('users/me/activity')
  @ApiOperation({
    summary: 'Your own activity',
    description: 'Events where you acted or were acted on, of the last 90 days, newest first.',
  })
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiErrors({ 400: 'A bad limit or cursor' })
  activity(
    @CurrentUser() user: AuthUser,
    @Query() query: AuditPageQuery,
  ): Promise<AuditPageResponse> {
    return this.audit.activity(user.id, query);
  }
}
