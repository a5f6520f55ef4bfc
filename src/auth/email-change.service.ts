import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AtomicStore } from '../cache/atomic-store';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { EmailValidationService } from '../email-validation/email-validation.service';
import { contextOf, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { MailLocale } from '../mail/mail-locales';
import { MailService } from '../mail/mail.service';
import { otpConfig, OtpConfig } from '../otp/otp.config';
import { OtpService } from '../otp/otp.service';
import { SessionsService } from '../sessions/sessions.service';
import { SignInAccount, SignInAccountsService } from '../users/sign-in-accounts.service';
import { UserCacheService } from '../users/user-cache.service';
import { MessageResponse, toTokenResponse } from './dto/auth.responses';
import { EmailChangeConfirmDto, EmailChangeRequestDto } from './dto/email-change.dto';
import { EmailChangedResponse, EmailChangeStatusResponse } from './dto/email-change.responses';

export const CODES_SENT = 'Confirmation codes sent.';
export const INVALID_CHANGE_CODE = 'Invalid or expired code.';
export const SAME_EMAIL = 'The new email is the current one.';

/** The change a signed-in user asked for, until both codes confirm it or they expire. */
interface PendingChange {
  newEmail: string;
  expiresAt: string;
  /** The language of the change's mails, so the notice at confirmation speaks it too. */
  locale?: MailLocale;
}

/**
 * Self-service email change (API.md): a code to the current address and one to the new address,
 * both needed to confirm. An address that has an account gets the account-exists notice instead
 * of a code, behind the same answer. Confirming ends every session and opens a new one; the old
 * address is told.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: AtomicStore,
    private readonly otp: OtpService,
    private readonly accounts: SignInAccountsService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly emailValidation: EmailValidationService,
    private readonly events: EventsService,
    @Inject(otpConfig.KEY) private readonly otpSettings: OtpConfig,
    private readonly userCache: UserCacheService,
  ) {}

  async request(
    user: AuthUser,
    dto: EmailChangeRequestDto,
    client: ClientInfo,
  ): Promise<MessageResponse> {
    const newEmail = dto.new_email;
    const account = await this.account(user);
    if (newEmail === account.email)
      throw AppException.validation(SAME_EMAIL, { new_email: [SAME_EMAIL] });
    await this.emailValidation.validate(newEmail);
    // Both codes are issued (and rate limited per account) whatever the new address's state.
    const current = await this.otp.issue(subject(user.id, account.email), 'email_change_current');
    const fresh = await this.otp.issue(subject(user.id, newEmail), 'email_change_new');
    const owner = await this.accounts.findByEmail(newEmail);
    // The request's field, else the account's language, else Accept-Language, else the default.
    const locale = this.mail.localeFor({
      requested: dto.locale,
      stored: account.locale,
      acceptLanguage: client.acceptLanguage,
    });
    const pending: PendingChange = {
      newEmail,
      expiresAt: current.expiresAt.toISOString(),
      locale,
    };
    await this.store.setJson(pendingKey(user.id), pending, this.otpSettings.ttlSeconds * 1000);
    const name = account.fullName || undefined;
    const minutes = Math.round(this.otpSettings.ttlSeconds / 60);
    await this.mail.enqueue({
      to: account.email,
      template: 'email-change-code',
      context: { name, code: current.code, minutes, newEmail },
      expiresAt: current.expiresAt,
      language: { requested: locale },
    });
    await this.mail.enqueue(
      owner
        ? {
            to: newEmail,
            template: 'account-exists',
            context: { name: owner.fullName || undefined },
            // Another person's account: the field, else that account's own language.
            language: {
              requested: dto.locale,
              stored: owner.locale,
              acceptLanguage: client.acceptLanguage,
            },
          }
        : {
            to: newEmail,
            template: 'email-change-code',
            context: { name, code: fresh.code, minutes, newEmail },
            expiresAt: fresh.expiresAt,
            language: { requested: locale },
          },
    );
    return { message: CODES_SENT };
  }

  async status(user: AuthUser): Promise<EmailChangeStatusResponse> {
    const pending = await this.store.getJson<PendingChange>(pendingKey(user.id));
    return pending
      ? { status: 'pending', new_email: pending.newEmail, expires_at: pending.expiresAt }
      : { status: 'none' };
  }

  /**
   * Both codes are checked before either is spent (a typo in one keeps the other); then using up
   * the current-address code decides, so of two confirms at once exactly one goes on.
   */
  async confirm(
    user: AuthUser,
    dto: EmailChangeConfirmDto,
    client: ClientInfo,
  ): Promise<EmailChangedResponse> {
    const account = await this.account(user);
    const refusal = AppException.badRequest(ErrorCode.OTP_INVALID, INVALID_CHANGE_CODE);
    const pending = await this.store.getJson<PendingChange>(pendingKey(user.id));
    if (!pending) throw refusal;
    const currentProof = await this.otp.check(
      subject(user.id, account.email),
      'email_change_current',
      dto.current_code,
    );
    const newProof = await this.otp.check(
      subject(user.id, pending.newEmail),
      'email_change_new',
      dto.new_code,
    );
    if (!currentProof || !newProof || !(await this.otp.consume(currentProof))) throw refusal;
    await this.otp.consume(newProof);
    await this.store.delete(pendingKey(user.id));
    const { changed, tokens, revoked } = await this.dataSource.transaction(async (manager) => {
      const changed = await this.accounts.changeEmail(
        user.id,
        pending.newEmail,
        'new_email',
        manager,
      );
      if (!changed) throw AppException.unauthenticated();
      const revoked = await this.sessions.revokeAllForUserIn(manager, user.id, 'account_change');
      const tokens = await this.sessions.open(user.id, changed.is_staff, client, manager);
      await this.mail.enqueue(
        {
          to: account.email,
          template: 'email-changed',
          context: { name: account.fullName || undefined, newEmail: pending.newEmail },
          language: { requested: pending.locale, stored: account.locale },
        },
        manager,
      );
      const base = {
        actor: { type: 'user' as const, id: user.id },
        target: userTarget(user.id),
        user: changed,
      };
      await this.events.record(
        manager,
        {
          ...base,
          action: 'email.changed',
          // The session the change was made with (API.md); the new one is in the response.
          context: contextOf(client, user.sessionId),
          metadata: { sessions_ended: revoked.length },
        },
        // The session the confirm opens is a sign-in like any other: its own audit row and
        // `session.created` delivery, as at registration.
        {
          ...base,
          action: 'login.succeeded',
          context: contextOf(client, tokens.sessionId),
          metadata: { method: 'email_change' },
          session: { id: tokens.sessionId, ip: client.ip, user_agent: client.userAgent },
        },
      );
      return { changed, tokens, revoked };
    });
    await this.userCache.changed(user.id);
    await this.sessions.publishRevocations(revoked);
    return { data: [changed], ...toTokenResponse(tokens) };
  }

  /** The guard saw a live session a moment ago; an account gone since then is unauthenticated. */
  private async account(user: AuthUser): Promise<SignInAccount> {
    const account = await this.accounts.findById(user.id);
    if (!account?.canSignIn) throw AppException.unauthenticated();
    return account;
  }
}

/** Codes are bound to the account and the address: another account's change never replaces them. */
function subject(userId: string, email: string): string {
  return `${userId}\n${email}`;
}

function pendingKey(userId: string): string {
  return `email-change:${userId}`;
}
