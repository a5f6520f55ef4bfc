import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { PasswordFailureLimiterService } from './password-failure-limiter.service';
import { lookupLocale } from '../mail/mail-locales';
import { otpConfig, OtpConfig } from '../otp/otp.config';
import { contextOf, DomainEvent, userTarget } from '../events/domain-event';
import { AuthEventsService } from '../observability/auth-events.service';
import { OtpService } from '../otp/otp.service';
import { EventsService } from '../events/events.service';
import { IssuedTokens, SessionsService } from '../sessions/sessions.service';
import {
  SIGN_IN_STEP,
  SignInAccount,
  SignInAccountsService,
} from '../users/sign-in-accounts.service';
import { UserCacheService } from '../users/user-cache.service';
import { AccountLockService } from './account-lock.service';
import { CodeMailService } from './code-mail.service';
import {
  DetailResponse,
  MessageResponse,
  TokenResponse,
  toTokenResponse,
} from './dto/auth.responses';
import { LoginDto } from './dto/login.dto';
import { LogoutDto, LogoutScope } from './dto/logout.dto';
import { RefreshDto } from './dto/refresh.dto';
import { PasswordHasherService } from './password-hasher.service';
import { SignInMethod, SignInNoticeService } from './sign-in-notice.service';
import { signInConfig, SignInConfig } from './sign-in.config';

type LoginMethod = 'code' | 'magic_link' | 'password';

/** `user.created` of a code (or magic-link) login's sign-up, written by its sign-in statement. */
function signedUp(userId: string, client: ClientInfo): DomainEvent {
  return {
    action: 'user.created',
    actor: { type: 'user', id: userId },
    target: userTarget(userId),
    context: contextOf(client),
    metadata: { via: 'code_login' },
    userId,
  };
}

const AUDIT_METHOD: Record<SignInMethod, LoginMethod> = {
  otp: 'code',
  magic_link: 'magic_link',
  password: 'password',
};

export const INVALID_CODE_LOGIN = 'Invalid OTP or email.';
export const INVALID_PASSWORD_LOGIN = 'Invalid email or password.';
export const INVALID_LINK = 'Invalid or expired link.';

// While argon2id is saturated, a password login waits for a core anyway: its lookup and sign-in
// may wait a part of that backlog for others to share their statement (as PostgreSQL's
// commit_delay with commit_siblings). The lookup up to half of it: the queue it then joins is
// still there, so the cores never idle for it. The sign-in, which delays the answer, a tenth.
// A login with no backlog waits for nothing.
const LOOKUP_LINGER_SHARE = 1 / 2;
const LOOKUP_LINGER_MAX_MS = 250;
const SIGN_IN_LINGER_SHARE = 1 / 10;
const SIGN_IN_LINGER_MAX_MS = 100;

/** Code and password sign-in, token refresh and logout: orchestration over otp, users, sessions and mail. */
@Injectable()
export class AuthService {
  constructor(
    private readonly otp: OtpService,
    private readonly accounts: SignInAccountsService,
    private readonly sessions: SessionsService,
    private readonly codeMail: CodeMailService,
    private readonly passwords: PasswordHasherService,
    private readonly passwordFailures: PasswordFailureLimiterService,
    private readonly locks: AccountLockService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    private readonly notices: SignInNoticeService,
    @Inject(otpConfig.KEY) private readonly otpSettings: OtpConfig,
    @Inject(signInConfig.KEY) private readonly signInSettings: SignInConfig,
    private readonly userCache: UserCacheService,
  ) {}

  /**
   * Same answer and the same work for existing, unknown and inactive emails: a code is always
   * issued (and rate limited); only who receives a mail differs.
   */
  async requestLoginCode(
    email: string,
    client: ClientInfo,
    locale?: string,
  ): Promise<MessageResponse> {
    await this.codeMail.send(
      email,
      'login',
      client,
      (account) => ({
        template: 'login-code',
        withCode: true,
        deliver: account ? account.canSignIn : this.otpSettings.signup,
      }),
      locale,
      this.signInSettings.magicLinkUrl !== undefined,
    );
    return { message: 'OTP sent to email.' };
  }

  /**
   * The magic link of a login-code mail: signs in exactly as the code would (same account rules,
   * session, notice, unlock), burning the code with it. One refusal for every cause.
   */
  async loginWithLink(token: string, client: ClientInfo): Promise<TokenResponse> {
    const email = await this.otp.verifyLink('login', token);
    this.events.codeChecked('login', email !== null, { ip: client.ip });
    const user = email
      ? await this.accounts.findOrCreateForCodeLogin(email, this.otpSettings.signup)
      : null;
    this.events.login('magic_link', !!user, { userId: user?.id, ip: client.ip });
    const refusal = () => AppException.badRequest(ErrorCode.OTP_INVALID, INVALID_LINK);
    if (!user) {
      this.loginFailed('magic_link', null, null, client);
      throw refusal();
    }
    const tokens = await this.signIn(user, 'magic_link', client, refusal);
    this.locks.noteSignIn(user, client);
    return toTokenResponse(tokens);
  }

  /** Which of otp and password came is settled by the DTO: exactly one of them. */
  login(dto: LoginDto, client: ClientInfo): Promise<TokenResponse> {
    if (dto.password !== undefined && dto.password !== null)
      return this.loginWithPassword(dto.email, dto.password, client);
    return this.loginWithCode(dto.email, dto.otp ?? '', client);
  }

  async refresh(dto: RefreshDto, client: ClientInfo): Promise<TokenResponse> {
    const presented = dto.refresh || dto.refresh_token || '';
    return toTokenResponse(await this.sessions.rotate(presented, client));
  }

  async logout(user: AuthUser, dto: LogoutDto, client: ClientInfo): Promise<DetailResponse> {
    const scope = dto.scope ?? 'local';
    const ended = await this.endSessions(user, scope, client, dto.refresh_token);
    this.events.logout(scope, { userId: user.id, ip: client.ip, sessions: ended });
    return { detail: 'Successfully logged out.' };
  }

  private async endSessions(
    user: AuthUser,
    scope: LogoutScope,
    client: ClientInfo,
    refreshToken?: string,
  ): Promise<number> {
    const by = {
      actor: { type: 'user' as const, id: user.id },
      context: contextOf(client, user.sessionId),
    };
    if (scope === 'global') return this.sessions.revokeAllForUser(user.id, 'logout', undefined, by);
    if (scope === 'others')
      return this.sessions.revokeAllForUser(user.id, 'logout', user.sessionId, by);
    // An OTP Auth System client names its refresh token; end that session too if it is the caller's.
    const named = refreshToken
      ? await this.sessions.sessionOfRefreshToken(refreshToken, user.id)
      : null;
    return this.sessions.revoke(named ? [user.sessionId, named] : [user.sessionId], 'logout', by);
  }

  private async loginWithCode(
    email: string,
    code: string,
    client: ClientInfo,
  ): Promise<TokenResponse> {
    const valid = await this.otp.verify(email, 'login', code);
    this.events.codeChecked('login', valid, { ip: client.ip });
    const user = valid
      ? await this.accounts.findOrCreateForCodeLogin(
          email,
          this.otpSettings.signup,
          lookupLocale(client.acceptLanguage) ?? null,
        )
      : null;
    this.events.login('otp', !!user, { userId: user?.id, ip: client.ip });
    const refusal = () =>
      AppException.badRequest(ErrorCode.INVALID_CREDENTIALS, INVALID_CODE_LOGIN);
    if (!user) {
      this.loginFailed('code', email, null, client);
      throw refusal();
    }
    const tokens = await this.signIn(user, 'otp', client, refusal);
    this.locks.noteSignIn(user, client);
    return toTokenResponse(tokens);
  }

  private async loginWithPassword(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<TokenResponse> {
    await this.passwordFailures.assertAllowed(email);
    const user = await this.accounts.findByEmail(
      email,
      Math.min(LOOKUP_LINGER_MAX_MS, this.passwords.backlogMs * LOOKUP_LINGER_SHARE),
    );
    // Verified even for a locked account: the answer takes the same time either way.
    const matches = await this.passwords.verify(user?.passwordHash, password);
    const success = !!user && matches && user.canSignIn && !this.locks.isLocked(user);
    this.events.login('password', success, { userId: user?.id, ip: client.ip });
    const refusal = () =>
      AppException.badRequest(ErrorCode.INVALID_CREDENTIALS, INVALID_PASSWORD_LOGIN);
    if (!success) {
      this.loginFailed('password', email, user?.id ?? null, client);
      await this.passwordFailures.recordFailure(email);
      await this.locks.recordFailure(email, user, client);
      throw refusal();
    }
    const lingerMs = Math.min(
      SIGN_IN_LINGER_MAX_MS,
      this.passwords.backlogMs * SIGN_IN_LINGER_SHARE,
    );
    return toTokenResponse(await this.signIn(user, 'password', client, refusal, lingerMs));
  }

  /**
   * Records the sign-in and opens the session in one statement; `refusal` when the account was
   * stopped from signing in a moment ago (the user's row lock orders the two). A session from
   * somewhere new mails the new sign-in notice.
   */
  private async signIn(
    account: SignInAccount,
    method: SignInMethod,
    client: ClientInfo,
    /** Made only when needed: an exception captures a stack trace, which a success never uses. */
    refusal: () => AppException,
    lingerMs = 0,
  ): Promise<IssuedTokens> {
    const audited = AUDIT_METHOD[method];
    const tokens = await this.sessions.openAfter(SIGN_IN_STEP, {
      userId: account.id,
      isNew: !!account.isNew,
      email: account.email,
      locale: account.locale,
      client,
      lingerMs,
      events: (sessionId): DomainEvent[] => [
        // A code login's sign-up: the account is created by this very statement.
        ...(account.isNew ? [signedUp(account.id, client)] : []),
        {
          action: 'login.succeeded',
          actor: { type: 'user', id: account.id },
          target: userTarget(account.id),
          context: contextOf(client, sessionId),
          metadata: { method: audited },
          session: { id: sessionId, ip: client.ip, user_agent: client.userAgent },
        },
      ],
    });
    if (!tokens && account.isNew) {
      // Someone created the account a moment ago (a racing login or a confirmed registration).
      const raced = await this.accounts.findByEmail(account.email);
      if (raced?.canSignIn) return this.signIn(raced, method, client, refusal);
    }
    if (!tokens) {
      this.loginFailed(audited, account.email, account.isNew ? null : account.id, client);
      throw refusal();
    }
    // A new account has nothing cached yet; an existing one has a new last_login.
    if (!account.isNew) await this.userCache.changed(account.id);
    await this.notices.afterSignIn(account, tokens, method, client);
    return tokens;
  }

  /** A refused sign-in: the account when known, else only the keyed hash of the email. */
  private loginFailed(
    method: LoginMethod,
    email: string | null,
    userId: string | null,
    client: ClientInfo,
  ): void {
    this.domainEvents.recordSoon({
      action: 'login.failed',
      outcome: 'failure',
      actor: { type: userId ? 'user' : 'anonymous', id: userId },
      target: userId ? userTarget(userId) : undefined,
      context: contextOf(client),
      metadata: email ? { method, email_hash: this.domainEvents.emailHash(email) } : { method },
    });
  }
}
