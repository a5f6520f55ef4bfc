import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { otpConfig, OtpConfig } from '../otp/otp.config';
import { MailService } from '../mail/mail.service';
import { AuthEvents } from '../observability/auth-events.service';
import { OtpService } from '../otp/otp.service';
import { SessionsService } from '../sessions/sessions.service';
import { sameEmail, User } from '../users/entities/user.entity';
import { MessageResponse } from './dto/auth.responses';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { PasswordHasher } from './password-hasher.service';

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
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly otp: OtpService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly passwords: PasswordHasher,
    private readonly events: AuthEvents,
    @Inject(otpConfig.KEY) private readonly otpSettings: OtpConfig,
  ) {}

  /** Same answer and limits for every email: a code is issued always, mailed to active accounts only. */
  async requestReset(email: string, client: ClientInfo): Promise<MessageResponse> {
    const issued = await this.otp.issue(email, 'reset');
    const user = await this.activeUser(email);
    await this.mail.enqueueUnlessSuppressed(
      {
        to: user?.email ?? email,
        template: 'reset-code',
        context: {
          code: issued.code,
          name: user?.fullName || undefined,
          minutes: Math.round(this.otpSettings.ttlSeconds / 60),
        },
        expiresAt: issued.expiresAt,
      },
      !!user,
    );
    this.events.codeSent('reset', { userId: user?.id, ip: client.ip, delivered: !!user });
    return { message: RESET_REQUESTED };
  }

  /** Sets the new password, ends every session of the user and mails a notice, all or nothing. */
  async reset(dto: ResetPasswordDto, client: ClientInfo): Promise<MessageResponse> {
    const code = dto.otp ?? dto.token;
    if (code === undefined)
      throw AppException.validation('OTP is required.', { otp: ['OTP is required.'] });
    const valid = await this.otp.verify(dto.email, 'reset', code);
    this.events.codeChecked('reset', valid, { ip: client.ip });
    const user = valid ? await this.activeUser(dto.email) : null;
    if (!user) throw AppException.badRequest(ErrorCode.OTP_INVALID, INVALID_RESET_CODE);
    const passwordHash = await this.passwords.hash(dto.new_password);
    const revoked = await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(User).update({ id: user.id }, { passwordHash, isVerified: true });
      const sessionIds = await this.sessions.revokeAllForUserIn(manager, user.id, 'password_reset');
      await this.mail.enqueue(
        {
          to: user.email,
          template: 'password-changed',
          context: { name: user.fullName || undefined },
        },
        manager,
      );
      return sessionIds;
    });
    await this.sessions.publishRevocations(revoked);
    this.events.passwordReset({ userId: user.id, ip: client.ip });
    return { message: 'Password reset successfully.' };
  }

  /** Active, not deleted (soft-deleted rows are excluded by default). */
  private activeUser(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email: sameEmail(email), isActive: true } });
  }
}
