import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { uuidParam } from '../common/pipes/uuid-param.pipe';
import { AdminMailPageResponse, AdminMailQuery, AdminMailResponse } from './dto/admin-mail.dto';
import { MAIL_NOT_FOUND, MailAdminService } from './mail-admin.service';

/** The mail outbox for admins (API.md "Admin operations"). */
@ApiTags('admin')
@Roles('admin')
@Controller('admin/mail')
export class MailAdminController {
  constructor(private readonly mail: MailAdminService) {}

  @Get()
  @ApiOperation({
    summary: 'The mail outbox (admin)',
    description: 'Newest first, without bodies. A mail is `failed` once its attempts are spent.',
  })
  @ApiOkResponse({ type: AdminMailPageResponse })
  @ApiErrors({ 400: 'A bad status, limit or cursor', 403: 'Not an admin' })
  list(@Query() query: AdminMailQuery): Promise<AdminMailPageResponse> {
    return this.mail.list(query);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid', description: 'Mail id' })
  @ApiOperation({ summary: 'Queue a failed mail again (admin)' })
  @ApiOkResponse({ type: AdminMailResponse, description: 'The mail, queued again' })
  @ApiErrors({
    403: 'Not an admin',
    404: '`Mail not found.`',
    409: 'Not a failed mail, or a code mail whose code has expired',
  })
  retry(@Param('id', uuidParam(MAIL_NOT_FOUND)) id: string): Promise<AdminMailResponse> {
    return this.mail.retry(id);
  }
}
