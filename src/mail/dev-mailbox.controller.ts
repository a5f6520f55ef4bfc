import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator';
import { DevMailboxService } from './dev-mailbox.service';
import { MailboxQuery } from './dto/mailbox.query';

/** Development only: the outbox as a page (or JSON). Answers 404 in production or with SMTP. */
@ApiExcludeController()
@Public()
@Controller('dev/mailbox')
export class DevMailboxController {
  constructor(private readonly mailbox: DevMailboxService) {}

  @Get()
  async show(
    @Headers('accept') accept = '',
    @Query() query: MailboxQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const view = await this.mailbox.view(accept, query.limit);
    void reply.type(view.contentType);
    return view.body;
  }
}
