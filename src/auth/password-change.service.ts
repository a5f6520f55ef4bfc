import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { MailService } from '../mail/mail.service';
import { contextOf, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { SignInAccountsService } from '../users/sign-in-accounts.service';
import { UserCacheService } from '../users/user-cache.service';
import { AccountLockService } from './account-lock.service';
import { INVALID_PASSWORD_LOGIN } from './auth.service';
import { BreachedPasswordsService } from './breached-passwords.service';
import { MessageResponse } from './dto/auth.responses';
import { ChangePasswordDto } from './dto/change-password.dto';
import { PasswordFailureLimiterService } from './password-failure-limiter.service';
import { PasswordHasherService } from './password-hasher.service';
import { passwordProblem } from './password-policy';

export const PASSWORD_CHANGED = 'Password changed.';
export const CURRENT_PASSWORD_REQUIRED = 'Current password is required.';

/**
 * A signed-in user sets a new password. An account that has one must give it, and a wrong one
 * counts as a failed password login (the per-email cap and the lock apply). The new password
 * follows the registration policy; every other session ends and a notice goes out.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: SignInAccountsService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly passwords: PasswordHasherService,
    private readonly breachedPasswords: BreachedPasswordsService,
    private readonly passwordFailures: PasswordFailureLimiterService,
    private readonly locks: AccountLockService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    private readonly userCache: UserCacheService,
  ) {}

  async change(
    user: AuthUser,
    dto: ChangePasswordDto,
    client: ClientInfo,
  ): Promise<MessageResponse> {
    const account = await this.accounts.findById(user.id);
    // The guard saw a live session a moment ago; an account gone since then is simply unauthenticated.
    if (!account?.canSignIn) throw AppException.unauthenticated();
    if (account.passwordHash !== null) {
      if (dto.current_password === undefined)
        throw AppException.validation(CURRENT_PASSWORD_REQUIRED, {
          current_password: [CURRENT_PASSWORD_REQUIRED],
        });
      await this.passwordFailures.assertAllowed(account.email);
      if (!(await this.passwords.verify(account.passwordHash, dto.current_password))) {
        await this.passwordFailures.recordFailure(account.email);
        await this.locks.recordFailure(account.email, account, client);
        this.events.login('password', false, { userId: account.id, ip: client.ip });
        this.domainEvents.recordSoon({
          action: 'password.changed',
          outcome: 'failure',
          actor: { type: 'user', id: account.id },
          target: userTarget(account.id),
          context: contextOf(client, user.sessionId),
          metadata: { reason: 'wrong_current_password' },
        });
        throw AppException.badRequest(ErrorCode.INVALID_CREDENTIALS, INVALID_PASSWORD_LOGIN);
      }
    }
    const problem = passwordProblem(dto.new_password, account.email);
    if (problem) throw AppException.validation(problem, { new_password: [problem] });
    await this.breachedPasswords.assertNotBreached(dto.new_password, 'new_password');
    const passwordHash = await this.passwords.hash(dto.new_password);
    const revoked = await this.dataSource.transaction(async (manager) => {
      // The password checked above must still be the current one: a change that lost a race
      // gave a password that no longer is.
      if (
        !(await this.accounts.replacePassword(
          account.id,
          account.passwordHash,
          passwordHash,
          manager,
        ))
      )
        throw AppException.badRequest(ErrorCode.INVALID_CREDENTIALS, INVALID_PASSWORD_LOGIN);
      const ended = await this.sessions.revokeAllForUserIn(
        manager,
        account.id,
        'password_change',
        user.sessionId,
      );
      await this.mail.enqueue(
        {
          to: account.email,
          template: 'password-changed',
          // The session that made the change stays signed in; the mail says "every other device".
          context: { name: account.fullName || undefined, keptSession: true },
          language: { stored: account.locale, acceptLanguage: client.acceptLanguage },
        },
        manager,
      );
      await this.domainEvents.record(manager, {
        action: 'password.changed',
        actor: { type: 'user', id: account.id },
        target: userTarget(account.id),
        context: contextOf(client, user.sessionId),
        metadata: { sessions_ended: ended.length },
        user: await this.accounts.userObject(account.id, manager),
      });
      return ended;
    });
    await this.userCache.changed(account.id);
    await this.sessions.publishRevocations(revoked);
    this.events.passwordChanged({ userId: account.id, ip: client.ip, sessions: revoked.length });
    return { message: PASSWORD_CHANGED };
  }
}
