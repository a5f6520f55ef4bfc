import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { MailService } from '../mail/mail.service';
import { contextOf, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { OtpService } from '../otp/otp.service';
import { SessionsService } from '../sessions/sessions.service';
import { SignInAccount, SignInAccountsService } from '../users/sign-in-accounts.service';
import { UserCacheService } from '../users/user-cache.service';
import { CodeMailService } from './code-mail.service';
import { MessageResponse } from './dto/auth.responses';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { BreachedPasswordsService } from './breached-passwords.service';
import { PasswordHasherService } from './password-hasher.service';

export const RESET_REQUESTED =
  'If an account with that email exists, you will receive a reset code.';
export const INVALID_RESET_CODE = 'Invalid or expired reset token.';

/**
 * Forgotten passwords: a `reset` code by mail, then a new password that ends every session.
 * Active accounts without a password (code-login accounts) may set one this way: the code proves
 * the same thing a login code does.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: SignInAccountsService,
    private readonly otp: OtpService,
    private readonly codeMail: CodeMailService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly passwords: PasswordHasherService,
    private readonly breachedPasswords: BreachedPasswordsService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    private readonly userCache: UserCacheService,
  ) {}

  /** Same answer and limits for every email: a code is issued always, mailed to active accounts only. */
  async requestReset(email: string, client: ClientInfo, locale?: string): Promise<MessageResponse> {
    await this.codeMail.send(
      email,
      'reset',
      client,
      (account) => ({ template: 'reset-code', withCode: true, deliver: !!account?.canSignIn }),
      locale,
    );
    return { message: RESET_REQUESTED };
  }

  /** Sets the new password, ends every session of the user and mails a notice, all or nothing. */
  async reset(dto: ResetPasswordDto, client: ClientInfo): Promise<MessageResponse> {
    // The DTO makes sure one of the two came.
    const code = dto.otp ?? dto.token ?? '';
    // Before the code is used: a refused password must not cost the person their code.
    await this.breachedPasswords.assertNotBreached(dto.new_password, 'new_password');
    const valid = await this.otp.verify(dto.email, 'reset', code);
    this.events.codeChecked('reset', valid, { ip: client.ip });
    const user = valid ? await this.activeUser(dto.email) : null;
    if (!user) {
      this.domainEvents.recordSoon({
        action: 'password.reset',
        outcome: 'failure',
        actor: { type: 'anonymous', id: null },
        context: contextOf(client),
        metadata: { email_hash: this.domainEvents.emailHash(dto.email) },
      });
      throw AppException.badRequest(ErrorCode.OTP_INVALID, INVALID_RESET_CODE);
    }
    const passwordHash = await this.passwords.hash(dto.new_password);
    const revoked = await this.dataSource.transaction(async (manager) => {
      await this.accounts.setPassword(user.id, passwordHash, manager);
      const sessionIds = await this.sessions.revokeAllForUserIn(manager, user.id, 'password_reset');
      await this.mail.enqueue(
        {
          to: user.email,
          template: 'password-changed',
          context: { name: user.fullName || undefined },
          language: { stored: user.locale, acceptLanguage: client.acceptLanguage },
        },
        manager,
      );
      await this.domainEvents.record(manager, {
        action: 'password.reset',
        actor: { type: 'user', id: user.id },
        target: userTarget(user.id),
        context: contextOf(client),
        metadata: { sessions_ended: sessionIds.length },
        user: await this.accounts.userObject(user.id, manager),
      });
      return sessionIds;
    });
    await this.userCache.changed(user.id);
    await this.sessions.publishRevocations(revoked);
    this.events.passwordReset({ userId: user.id, ip: client.ip });
    return { message: 'Password reset successfully.' };
  }

  private async activeUser(email: string): Promise<SignInAccount | null> {
    const account = await this.accounts.findByEmail(email);
    return account?.canSignIn ? account : null;
  }
}
