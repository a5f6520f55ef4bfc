import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { Client, CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { ErrorBody, errorBody } from '../common/errors/error-body';
import { ErrorCode } from '../common/errors/error-codes';
import { INVALID_EMAIL_SENTENCE } from '../common/errors/validation';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import {
  ApiCodeRequestLimited,
  ApiJsonBodyErrors,
  ApiRateLimited,
  RateLimitCauses,
} from '../common/swagger/api-error-responses.decorator';
import { AuthService, INVALID_CODE_LOGIN, INVALID_PASSWORD_LOGIN } from './auth.service';
import {
  DetailResponse,
  MessageResponse,
  RegisteredResponse,
  TokenResponse,
} from './dto/auth.responses';
import { ConfirmOtpDto } from './dto/confirm-otp.dto';
import { ForgotPasswordDto } from './dto/forgot-password.dto';
import { GetOtpDto } from './dto/get-otp.dto';
import { LoginDto } from './dto/login.dto';
import { LogoutDto } from './dto/logout.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { INVALID_RESET_CODE, PasswordResetService } from './password-reset.service';
import { INVALID_REGISTRATION_CODE, RegistrationService } from './registration.service';

@ApiTags('auth')
@Controller('users')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly registration: RegistrationService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Public()
  @RateLimit('send')
  @Post('get-otp')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Email a sign-in code (MailGuard)',
    description:
      'Same answer for existing, unknown and inactive emails. Unknown emails get a code and an account at first login unless OTP_SIGNUP=false.',
  })
  @ApiOkResponse({ type: MessageResponse })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description: '`Email is required.` or an invalid address',
  })
  @ApiCodeRequestLimited()
  @ApiJsonBodyErrors()
  getOtp(@Body() dto: GetOtpDto, @Client() client: ClientInfo): Promise<MessageResponse> {
    return this.auth.requestLoginCode(dto.email, client);
  }

  @Public()
  @RateLimit('verify')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with an emailed code or a password',
    description:
      'Send `{email, otp}` (MailGuard) or `{email, password}` (OTP Auth System). Opens a session.',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description: '`Invalid OTP or email.` / `Invalid email or password.` for every cause',
    examples: {
      code: {
        summary: 'Code login failed',
        value: errorBody(400, ErrorCode.INVALID_CREDENTIALS, INVALID_CODE_LOGIN),
      },
      password: {
        summary: 'Password login failed',
        value: errorBody(400, ErrorCode.INVALID_CREDENTIALS, INVALID_PASSWORD_LOGIN),
      },
    },
  })
  @ApiRateLimited(
    'More than RATE_LIMIT_VERIFY_PER_MINUTE (default 30) requests a minute from one IP, or (password login) RATE_LIMIT_PASSWORD_FAILURES (default 10) failed password logins of the email in the window',
    RateLimitCauses.perIp,
    RateLimitCauses.passwordFailures,
  )
  @ApiJsonBodyErrors()
  login(@Body() dto: LoginDto, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.login(dto, client);
  }

  @Public()
  @RateLimit('refresh')
  @Post('token/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair',
    description:
      'The old refresh token is retired. Presenting a retired one after the grace window ends the whole session.',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({
    type: ErrorBody,
    description: '`Invalid or expired refresh token.` (TOKEN_INVALID)',
  })
  @ApiErrors({ 400: '`Refresh token is required.` or a field error' })
  @ApiRateLimited(
    'More than RATE_LIMIT_REFRESH_PER_MINUTE (default 60) requests a minute from one IP',
  )
  @ApiJsonBodyErrors()
  refresh(@Body() dto: RefreshDto, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.refresh(dto, client);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out: this session (default), the others, or all' })
  @ApiOkResponse({ type: DetailResponse })
  @ApiErrors({ 400: 'A field error, e.g. `scope must be one of local, others, global.`' })
  @ApiJsonBodyErrors()
  logout(
    @CurrentUser() user: AuthUser,
    @Body() dto: LogoutDto,
    @Client() client: ClientInfo,
  ): Promise<DetailResponse> {
    return this.auth.logout(user, dto, client);
  }

  @Public()
  @RateLimit('send')
  @Post('register')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Register with a password; a code to confirm it is emailed (OTP Auth System)',
    description:
      'Validates the address (syntax, disposable domains, Mailboxlayer when configured) and the password (8–128 characters, not the email, not a common password), then emails a registration code. An email that already has an account gets the same answer; its owner gets a notice and nothing changes. Nothing is written to the users table before confirmation.',
  })
  @ApiOkResponse({ type: MessageResponse, example: { message: 'OTP sent to your email.' } })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description:
      'Field errors (VALIDATION_FAILED), e.g. a weak password or `Passwords do not match.`; a refused address (INVALID_EMAIL)',
    examples: {
      password: {
        summary: 'Weak password',
        value: errorBody(
          400,
          ErrorCode.VALIDATION_FAILED,
          'This password is too common. Choose one that is harder to guess.',
          { password: ['This password is too common. Choose one that is harder to guess.'] },
        ),
      },
      email: {
        summary: 'Refused address',
        value: errorBody(400, ErrorCode.INVALID_EMAIL, INVALID_EMAIL_SENTENCE, {
          email: ['Disposable email addresses are not allowed.'],
        }),
      },
    },
  })
  @ApiCodeRequestLimited()
  @ApiJsonBodyErrors()
  register(@Body() dto: RegisterDto, @Client() client: ClientInfo): Promise<MessageResponse> {
    return this.registration.register(dto, client);
  }

  @Public()
  @RateLimit('verify')
  @Post(['verify-otp', 'confirm-otp'])
  @ApiOperation({
    summary: 'Confirm a registration with its emailed code; signs the new user in',
    description: '`confirm-otp` is an alias of `verify-otp`. The code works once.',
  })
  @ApiCreatedResponse({ type: RegisteredResponse })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description: '`OTP expired or invalid.` (OTP_INVALID) for every cause, or field errors',
    example: errorBody(400, ErrorCode.OTP_INVALID, INVALID_REGISTRATION_CODE),
  })
  @ApiRateLimited(
    'More than RATE_LIMIT_VERIFY_PER_MINUTE (default 30) requests a minute from one IP',
  )
  @ApiJsonBodyErrors()
  confirm(@Body() dto: ConfirmOtpDto, @Client() client: ClientInfo): Promise<RegisteredResponse> {
    return this.registration.confirm(dto, client);
  }

  @Public()
  @RateLimit('send')
  @Post('forgot-password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Email a password reset code',
    description:
      'Same answer and limits for every email; only active accounts receive the code. Never returns a token.',
  })
  @ApiOkResponse({
    type: MessageResponse,
    example: { message: 'If an account with that email exists, you will receive a reset code.' },
  })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description: '`Email is required.` or an invalid address',
  })
  @ApiCodeRequestLimited()
  @ApiJsonBodyErrors()
  forgotPassword(
    @Body() dto: ForgotPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<MessageResponse> {
    return this.passwordReset.requestReset(dto.email, client);
  }

  @Public()
  @RateLimit('verify')
  @Post('reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set a new password with the emailed reset code',
    description:
      'Send the code as `otp` (or `token`). Ends every session of the user and mails a notice.',
  })
  @ApiOkResponse({ type: MessageResponse, example: { message: 'Password reset successfully.' } })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description:
      '`Invalid or expired reset token.` (OTP_INVALID), or field errors such as a weak `new_password`',
    example: errorBody(400, ErrorCode.OTP_INVALID, INVALID_RESET_CODE),
  })
  @ApiRateLimited(
    'More than RATE_LIMIT_VERIFY_PER_MINUTE (default 30) requests a minute from one IP',
  )
  @ApiJsonBodyErrors()
  resetPassword(
    @Body() dto: ResetPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<MessageResponse> {
    return this.passwordReset.reset(dto, client);
  }
}
