import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { PasswordFailureLimiter } from '../common/rate-limit/password-failure-limiter';
import { otpConfig, OtpConfig } from '../otp/otp.config';
import { MailService } from '../mail/mail.service';
import { AuthEvents } from '../observability/auth-events.service';
import { OtpService } from '../otp/otp.service';
import { SessionsService } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';
import {
  DetailResponse,
  MessageResponse,
  TokenResponse,
  toTokenResponse,
} from './dto/auth.responses';
import { LoginDto } from './dto/login.dto';
import { LogoutDto, LogoutScope } from './dto/logout.dto';
import { RefreshDto } from './dto/refresh.dto';
import { PasswordHasher } from './password-hasher.service';

export const INVALID_CODE_LOGIN = 'Invalid OTP or email.';
export const INVALID_PASSWORD_LOGIN = 'Invalid email or password.';

/** Code and password sign-in, token refresh and logout: orchestration over otp, users, sessions and mail. */
@Injectable()
export class AuthService {
  constructor(
    private readonly otp: OtpService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly passwords: PasswordHasher,
    private readonly passwordFailures: PasswordFailureLimiter,
    private readonly events: AuthEvents,
    @Inject(otpConfig.KEY) private readonly otpSettings: OtpConfig,
  ) {}

  /**
   * Same answer and the same work for existing, unknown and inactive emails: a code is always
   * issued (and rate limited); only who receives a mail differs.
   */
  async requestLoginCode(email: string, client: ClientInfo): Promise<MessageResponse> {
    const issued = await this.otp.issue(email, 'login');
    const user = await this.users.findSignInAccount(email);
    const mayReceive = user ? user.canSignIn : this.otpSettings.signup;
    await this.mail.enqueueUnlessSuppressed(
      {
        to: email,
        template: 'login-code',
        context: {
          code: issued.code,
          name: user?.fullName || undefined,
          minutes: Math.round(this.otpSettings.ttlSeconds / 60),
        },
        expiresAt: issued.expiresAt,
      },
      mayReceive,
    );
    this.events.codeSent('login', { userId: user?.id, ip: client.ip, delivered: mayReceive });
    return { message: 'OTP sent to email.' };
  }

  login(dto: LoginDto, client: ClientInfo): Promise<TokenResponse> {
    if (dto.otp !== undefined && dto.password !== undefined) {
      throw AppException.validation('Send either otp or password, not both.', {
        otp: ['Send either otp or password, not both.'],
      });
    }
    if (dto.otp !== undefined) return this.loginWithCode(dto.email, dto.otp, client);
    if (dto.password !== undefined) return this.loginWithPassword(dto.email, dto.password, client);
    throw AppException.validation('OTP is required.', { otp: ['OTP is required.'] });
  }

  async refresh(dto: RefreshDto, client: ClientInfo): Promise<TokenResponse> {
    const presented = dto.refresh ?? dto.refresh_token;
    if (!presented)
      throw AppException.validation('Refresh token is required.', {
        refresh: ['Refresh token is required.'],
      });
    return toTokenResponse(await this.sessions.rotate(presented, client));
  }

  async logout(user: AuthUser, dto: LogoutDto, client: ClientInfo): Promise<DetailResponse> {
    const scope = dto.scope ?? 'local';
    const ended = await this.endSessions(user, scope, dto.refresh_token);
    this.events.logout(scope, { userId: user.id, ip: client.ip, sessions: ended });
    return { detail: 'Successfully logged out.' };
  }

  private async endSessions(
    user: AuthUser,
    scope: LogoutScope,
    refreshToken?: string,
  ): Promise<number> {
    if (scope === 'global') return this.sessions.revokeAllForUser(user.id, 'logout');
    if (scope === 'others')
      return this.sessions.revokeAllForUser(user.id, 'logout', user.sessionId);
    // An OTP Auth System client names its refresh token; end that session too if it is the caller's.
    const named = refreshToken
      ? await this.sessions.sessionOfRefreshToken(refreshToken, user.id)
      : null;
    return this.sessions.revoke(named ? [user.sessionId, named] : [user.sessionId], 'logout');
  }

  private async loginWithCode(
    email: string,
    code: string,
    client: ClientInfo,
  ): Promise<TokenResponse> {
    const valid = await this.otp.verify(email, 'login', code);
    this.events.codeChecked('login', valid, { ip: client.ip });
    const user = valid
      ? await this.users.findOrCreateForCodeLogin(email, this.otpSettings.signup)
      : null;
    this.events.login('otp', !!user, { userId: user?.id, ip: client.ip });
    if (!user) throw AppException.badRequest(ErrorCode.INVALID_CREDENTIALS, INVALID_CODE_LOGIN);
    return this.signIn(user.id, client);
  }

  private async loginWithPassword(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<TokenResponse> {
    await this.passwordFailures.assertAllowed(email);
    const user = await this.users.findSignInAccount(email);
    const matches = await this.passwords.verify(user?.passwordHash, password);
    const success = !!user && matches && user.canSignIn;
    this.events.login('password', success, { userId: user?.id, ip: client.ip });
    if (!success) {
      await this.passwordFailures.recordFailure(email);
      throw AppException.badRequest(ErrorCode.INVALID_CREDENTIALS, INVALID_PASSWORD_LOGIN);
    }
    return this.signIn(user.id, client);
  }

  private async signIn(userId: string, client: ClientInfo): Promise<TokenResponse> {
    await this.users.recordLogin(userId);
    return toTokenResponse(await this.sessions.open(userId, client));
  }
}
