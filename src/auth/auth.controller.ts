import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { Client, CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { ErrorBody } from '../common/errors/error-body';
import { RateLimit } from '../common/rate-limit/rate-limit.decorator';
import { AuthService } from './auth.service';
import { DetailResponse, MessageResponse, TokenResponse } from './dto/auth.responses';
import { GetOtpDto } from './dto/get-otp.dto';
import { LoginDto } from './dto/login.dto';
import { LogoutDto } from './dto/logout.dto';
import { RefreshDto } from './dto/refresh.dto';

@ApiTags('auth')
@Controller('users')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

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
  @ApiTooManyRequestsResponse({
    type: ErrorBody,
    description: 'Resend cooldown or hourly cap; see Retry-After',
  })
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
  })
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
  refresh(@Body() dto: RefreshDto, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.refresh(dto, client);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth('access-token')
  @ApiOperation({ summary: 'Sign out: this session (default), the others, or all' })
  @ApiOkResponse({ type: DetailResponse })
  @ApiUnauthorizedResponse({ type: ErrorBody })
  logout(
    @CurrentUser() user: AuthUser,
    @Body() dto: LogoutDto,
    @Client() client: ClientInfo,
  ): Promise<DetailResponse> {
    return this.auth.logout(user, dto, client);
  }
}
