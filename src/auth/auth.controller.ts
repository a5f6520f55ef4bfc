import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { Client, CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import {
  EndsRefreshCookie,
  IssuesRefreshCookie,
  RefreshesFromCookie,
} from '../sessions/cookie-transport/refresh-cookie.decorators';
import {
  ApiConfirmRegistration,
  ApiForgotPassword,
  ApiGetOtp,
  ApiLogin,
  ApiLogout,
  ApiMagicLinkVerify,
  ApiRefresh,
  ApiRegister,
  ApiResetPassword,
  CODE_REQUEST_LIMITS,
  PASSWORD_FAILURE_LIMIT,
} from './auth.docs';
import { AuthService } from './auth.service';
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
import { MagicLinkVerifyDto } from './dto/magic-link-verify.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { PasswordResetService } from './password-reset.service';
import { RegistrationService } from './registration.service';

/** Codes, sign-in, tokens, registration and password reset; each route's docs are in auth.docs.ts. */
@ApiTags('auth')
@Controller('users')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly registration: RegistrationService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Public()
  @RateLimit('send', ...CODE_REQUEST_LIMITS)
  @Post('get-otp')
  @HttpCode(200)
  @ApiGetOtp()
  getOtp(@Body() dto: GetOtpDto, @Client() client: ClientInfo): Promise<MessageResponse> {
    return this.auth.requestLoginCode(dto.email, client, dto.locale);
  }

  @Public()
  @RateLimit('verify', PASSWORD_FAILURE_LIMIT)
  @Post('login')
  @HttpCode(200)
  @ApiLogin()
  @IssuesRefreshCookie()
  login(@Body() dto: LoginDto, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.login(dto, client);
  }

  @Public()
  @RateLimit('verify')
  @Post('magic-link/verify')
  @HttpCode(200)
  @ApiMagicLinkVerify()
  @IssuesRefreshCookie()
  verifyMagicLink(
    @Body() dto: MagicLinkVerifyDto,
    @Client() client: ClientInfo,
  ): Promise<TokenResponse> {
    return this.auth.loginWithLink(dto.token, client);
  }

  @Public()
  @RateLimit('refresh')
  @Post('token/refresh')
  @HttpCode(200)
  @ApiRefresh()
  @RefreshesFromCookie()
  refresh(@Body() dto: RefreshDto, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.refresh(dto, client);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiLogout()
  @EndsRefreshCookie()
  logout(
    @CurrentUser() user: AuthUser,
    @Body() dto: LogoutDto,
    @Client() client: ClientInfo,
  ): Promise<DetailResponse> {
    return this.auth.logout(user, dto, client);
  }

  @Public()
  @RateLimit('send', ...CODE_REQUEST_LIMITS)
  @Post('register')
  @HttpCode(200)
  @ApiRegister()
  register(@Body() dto: RegisterDto, @Client() client: ClientInfo): Promise<MessageResponse> {
    return this.registration.register(dto, client);
  }

  @Public()
  @RateLimit('verify')
  @Post(['verify-otp', 'confirm-otp'])
  @ApiConfirmRegistration()
  @IssuesRefreshCookie()
  confirm(@Body() dto: ConfirmOtpDto, @Client() client: ClientInfo): Promise<RegisteredResponse> {
    return this.registration.confirm(dto, client);
  }

  @Public()
  @RateLimit('send', ...CODE_REQUEST_LIMITS)
  @Post('forgot-password')
  @HttpCode(200)
  @ApiForgotPassword()
  forgotPassword(
    @Body() dto: ForgotPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<MessageResponse> {
    return this.passwordReset.requestReset(dto.email, client, dto.locale);
  }

  @Public()
  @RateLimit('verify')
  @Post('reset-password')
  @HttpCode(200)
  @ApiResetPassword()
  resetPassword(
    @Body() dto: ResetPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<MessageResponse> {
    return this.passwordReset.reset(dto, client);
  }
}
