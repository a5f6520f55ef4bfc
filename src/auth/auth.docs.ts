import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { ErrorBody, errorBody } from '../common/errors/error-body';
import { ErrorCode } from '../common/errors/error-codes';
import { INVALID_EMAIL_SENTENCE } from '../common/errors/validation';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { RATE_LIMIT_DEFAULTS } from '../rate-limit/rate-limit.config';
import { HOURLY_CAP_SENTENCE, RESEND_COOLDOWN_SENTENCE } from '../otp/otp.service';
import { RateLimitCause } from '../rate-limit/rate-limit.decorator';
import { INVALID_CODE_LOGIN, INVALID_LINK, INVALID_PASSWORD_LOGIN } from './auth.service';
import {
  DetailResponse,
  MessageResponse,
  RegisteredResponse,
  TokenResponse,
} from './dto/auth.responses';
import { PASSWORD_FAILURES_SENTENCE } from './password-failure-limiter.service';
import { INVALID_RESET_CODE } from './password-reset.service';
import { INVALID_REGISTRATION_CODE } from './registration.service';

/**
 * The OpenAPI documentation of AuthController, one composite per route, so the controller reads
 * in one screen. The 429 of each route comes with its `@RateLimit(...)`; the causes below add
 * the limits the services enforce, with the very sentences they answer with.
 */

/** The send limits of an email, on every route that emails a code (OtpService). */
export const CODE_REQUEST_LIMITS: RateLimitCause[] = [
  {
    name: 'resendCooldown',
    summary: 'Resend cooldown of the email (OTP_RESEND_SECONDS)',
    when: 'the resend cooldown of the email (OTP_RESEND_SECONDS)',
    message: RESEND_COOLDOWN_SENTENCE,
  },
  {
    name: 'hourlyCap',
    summary: 'Hourly cap of codes for the email (OTP_MAX_SENDS_PER_HOUR)',
    when: 'the hourly cap of codes for the email (OTP_MAX_SENDS_PER_HOUR)',
    message: HOURLY_CAP_SENTENCE,
  },
];

/** Failed password logins of an email (PasswordFailureLimiterService). */
export const PASSWORD_FAILURE_LIMIT: RateLimitCause = {
  name: 'passwordFailures',
  summary: 'Failed password logins of the email (RATE_LIMIT_PASSWORD_FAILURES)',
  when: `(password login) RATE_LIMIT_PASSWORD_FAILURES (default ${RATE_LIMIT_DEFAULTS.passwordFailures}) failed password logins of the email in the window`,
  message: PASSWORD_FAILURES_SENTENCE,
};

const ApiEmailRefused = () =>
  ApiBadRequestResponse({
    type: ErrorBody,
    description: '`Email is required.` or an invalid address',
  });

export const ApiGetOtp = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Email a sign-in code (MailGuard)',
      description:
        'Same answer for existing, unknown and inactive emails. Unknown emails get a code and an account at first login unless OTP_SIGNUP=false.',
    }),
    ApiOkResponse({ type: MessageResponse }),
    ApiEmailRefused(),
    ApiJsonBodyErrors(),
  );

export const ApiLogin = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Sign in with an emailed code or a password',
      description:
        'Send `{email, otp}` (MailGuard) or `{email, password}` (OTP Auth System). Opens a session.',
    }),
    ApiOkResponse({ type: TokenResponse }),
    ApiBadRequestResponse({
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
    }),
    ApiJsonBodyErrors(),
  );

export const ApiMagicLinkVerify = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Sign in with the magic link of a login-code mail',
      description:
        'With MAGIC_LINK_URL set, every login-code mail also links to `MAGIC_LINK_URL?token=<t>`. ' +
        'The frontend page posts that token here when the person presses a button (a GET never ' +
        'consumes anything: mail scanners open links). Signs in exactly as the code would and ' +
        'answers like login; the link and the code burn each other. Rate-limited like login.',
    }),
    ApiOkResponse({ type: TokenResponse }),
    ApiBadRequestResponse({
      type: ErrorBody,
      description: '`Invalid or expired link.` for every cause (unknown, used, replaced, expired)',
      example: errorBody(400, ErrorCode.OTP_INVALID, INVALID_LINK),
    }),
    ApiJsonBodyErrors(),
  );

export const ApiRefresh = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Trade a refresh token for a new pair',
      description:
        'The old refresh token is retired. Presenting a retired one after the grace window ends the whole session.',
    }),
    ApiOkResponse({ type: TokenResponse }),
    ApiUnauthorizedResponse({
      type: ErrorBody,
      description: '`Invalid or expired refresh token.` (TOKEN_INVALID)',
    }),
    ApiErrors({ 400: '`Refresh token is required.` or a field error' }),
    ApiJsonBodyErrors(),
  );

export const ApiLogout = () =>
  applyDecorators(
    ApiOperation({ summary: 'Sign out: this session (default), the others, or all' }),
    ApiOkResponse({ type: DetailResponse }),
    ApiErrors({ 400: 'A field error, e.g. `scope must be one of local, others, global.`' }),
    ApiJsonBodyErrors(),
  );

export const ApiRegister = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Register with a password; a code to confirm it is emailed (OTP Auth System)',
      description:
        'Validates the address (syntax, disposable domains, Mailboxlayer when configured) and the password (8–128 characters, not the email, not a common password), then emails a registration code. An email that already has an account gets the same answer; its owner gets a notice and nothing changes. Nothing is written to the users table before confirmation.',
    }),
    ApiOkResponse({ type: MessageResponse, example: { message: 'OTP sent to your email.' } }),
    ApiBadRequestResponse({
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
    }),
    ApiJsonBodyErrors(),
  );

export const ApiConfirmRegistration = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Confirm a registration with its emailed code; signs the new user in',
      description: '`confirm-otp` is an alias of `verify-otp`. The code works once.',
    }),
    ApiCreatedResponse({ type: RegisteredResponse }),
    ApiBadRequestResponse({
      type: ErrorBody,
      description: '`OTP expired or invalid.` (OTP_INVALID) for every cause, or field errors',
      example: errorBody(400, ErrorCode.OTP_INVALID, INVALID_REGISTRATION_CODE),
    }),
    ApiJsonBodyErrors(),
  );

export const ApiForgotPassword = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Email a password reset code',
      description:
        'Same answer and limits for every email; only active accounts receive the code. Never returns a token.',
    }),
    ApiOkResponse({
      type: MessageResponse,
      example: { message: 'If an account with that email exists, you will receive a reset code.' },
    }),
    ApiEmailRefused(),
    ApiJsonBodyErrors(),
  );

export const ApiResetPassword = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Set a new password with the emailed reset code',
      description:
        'Send the code as `otp` (or `token`). Ends every session of the user and mails a notice.',
    }),
    ApiOkResponse({ type: MessageResponse, example: { message: 'Password reset successfully.' } }),
    ApiBadRequestResponse({
      type: ErrorBody,
      description:
        '`Invalid or expired reset token.` (OTP_INVALID), or field errors such as a weak `new_password`',
      example: errorBody(400, ErrorCode.OTP_INVALID, INVALID_RESET_CODE),
    }),
    ApiJsonBodyErrors(),
  );
