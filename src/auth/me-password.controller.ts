import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { Client, CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorBody, errorBody } from '../common/errors/error-body';
import { ErrorCode } from '../common/errors/error-codes';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { PASSWORD_FAILURE_LIMIT } from './auth.docs';
import { INVALID_PASSWORD_LOGIN } from './auth.service';
import { BREACHED_PASSWORD } from './breached-passwords.service';
import { MessageResponse } from './dto/auth.responses';
import { ChangePasswordDto } from './dto/change-password.dto';
import { CURRENT_PASSWORD_REQUIRED, PasswordChangeService } from './password-change.service';

/** The signed-in user's own password. */
@ApiTags('auth')
@Controller('users/me')
export class MePasswordController {
  constructor(private readonly passwords: PasswordChangeService) {}

  @Post('password')
  @HttpCode(200)
  @RateLimit('verify', PASSWORD_FAILURE_LIMIT)
  @ApiOperation({
    summary: 'Change your password',
    description:
      '`current_password` is required when the account has a password; a wrong one counts as a ' +
      'failed password login. The new password follows the registration policy and must not ' +
      'appear in a known breach. Every other session ends; a notice is mailed.',
  })
  @ApiOkResponse({ type: MessageResponse, example: { message: 'Password changed.' } })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description: 'A wrong current password, a missing one, or a new password the policy refuses',
    examples: {
      wrongCurrent: {
        summary: 'Wrong current password',
        value: errorBody(400, ErrorCode.INVALID_CREDENTIALS, INVALID_PASSWORD_LOGIN),
      },
      missingCurrent: {
        summary: 'The account has a password and none was given',
        value: errorBody(400, ErrorCode.VALIDATION_FAILED, CURRENT_PASSWORD_REQUIRED, {
          current_password: [CURRENT_PASSWORD_REQUIRED],
        }),
      },
      breached: {
        summary: 'Found in a data breach',
        value: errorBody(400, ErrorCode.VALIDATION_FAILED, BREACHED_PASSWORD, {
          new_password: [BREACHED_PASSWORD],
        }),
      },
    },
  })
  @ApiJsonBodyErrors()
  change(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Client() client: ClientInfo,
  ): Promise<MessageResponse> {
    return this.passwords.change(user, dto, client);
  }
}
