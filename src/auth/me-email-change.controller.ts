import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { Client, CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorBody, errorBody } from '../common/errors/error-body';
import { ErrorCode } from '../common/errors/error-codes';
import { INVALID_EMAIL_SENTENCE } from '../common/errors/validation';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { IssuesRefreshCookie } from '../sessions/cookie-transport/refresh-cookie.decorators';
import { EMAIL_TAKEN } from '../users/user-accounts.service';
import { CODE_REQUEST_LIMITS } from './auth.docs';
import { MessageResponse } from './dto/auth.responses';
import { EmailChangeConfirmDto, EmailChangeRequestDto } from './dto/email-change.dto';
import { EmailChangedResponse, EmailChangeStatusResponse } from './dto/email-change.responses';
import {
  CODES_SENT,
  EmailChangeService,
  INVALID_CHANGE_CODE,
  SAME_EMAIL,
} from './email-change.service';

/** The signed-in user's own email address. */
@ApiTags('auth')
@Controller('users/me/email-change')
export class MeEmailChangeController {
  constructor(private readonly emailChange: EmailChangeService) {}

  @Post()
  @HttpCode(202)
  @RateLimit('send', ...CODE_REQUEST_LIMITS)
  @ApiOperation({
    summary: 'Ask to change your email',
    description:
      'Mails a code to the current address and another to the new one (both are needed to ' +
      'confirm). The new address passes the email validation chain. If it belongs to another ' +
      'account the answer is the same and that address gets the account-exists notice instead.',
  })
  @ApiAcceptedResponse({ type: MessageResponse, example: { message: CODES_SENT } })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description: 'A malformed or refused address, or the current one',
    examples: {
      refused: {
        summary: 'Refused by the validation chain',
        value: errorBody(400, ErrorCode.INVALID_EMAIL, INVALID_EMAIL_SENTENCE, {
          email: ['disposable'],
        }),
      },
      same: {
        summary: 'The current address',
        value: errorBody(400, ErrorCode.VALIDATION_FAILED, SAME_EMAIL, { new_email: [SAME_EMAIL] }),
      },
    },
  })
  @ApiJsonBodyErrors()
  request(
    @CurrentUser() user: AuthUser,
    @Body() dto: EmailChangeRequestDto,
    @Client() client: ClientInfo,
  ): Promise<MessageResponse> {
    return this.emailChange.request(user, dto, client);
  }

  @Get()
  @ApiOperation({ summary: 'Whether an email change is waiting for its codes' })
  @ApiOkResponse({
    type: EmailChangeStatusResponse,
    examples: {
      none: { summary: 'Nothing pending', value: { status: 'none' } },
      pending: {
        summary: 'Codes sent, not yet confirmed',
        value: {
          status: 'pending',
          new_email: 'new.address@example.com',
          expires_at: '2026-11-27T00:10:00.000Z',
        },
      },
    },
  })
  status(@CurrentUser() user: AuthUser): Promise<EmailChangeStatusResponse> {
    return this.emailChange.status(user);
  }

  @Post('confirm')
  @HttpCode(200)
  @RateLimit('verify')
  @ApiOperation({
    summary: 'Confirm your email change with both codes',
    description:
      'Every earlier session ends (this one too); the answer carries the tokens of a new session. ' +
      'The old address is told.',
  })
  @ApiOkResponse({ type: EmailChangedResponse })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description: 'A wrong, used or expired code, or nothing pending',
    example: errorBody(400, ErrorCode.OTP_INVALID, INVALID_CHANGE_CODE),
  })
  @ApiConflictResponse({
    type: ErrorBody,
    description: 'The new address got an account in the meantime',
    example: errorBody(409, ErrorCode.CONFLICT, EMAIL_TAKEN),
  })
  @ApiJsonBodyErrors()
  @IssuesRefreshCookie()
  confirm(
    @CurrentUser() user: AuthUser,
    @Body() dto: EmailChangeConfirmDto,
    @Client() client: ClientInfo,
  ): Promise<EmailChangedResponse> {
    return this.emailChange.confirm(user, dto, client);
  }
}
