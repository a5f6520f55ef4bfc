import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AtomicStore } from '../cache/atomic-store';
import { ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { deriveKey, hmacHex } from '../common/secrets';
import { lookupLocale } from '../mail/mail-locales';
import { otpConfig, OtpConfig } from '../otp/otp.config';
import { secretConfig, SecretConfig } from '../config/secret.config';
import { EmailValidationService } from '../email-validation/email-validation.service';
import { contextOf, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { OtpService } from '../otp/otp.service';
import { SessionsService } from '../sessions/sessions.service';
import { SignInAccountsService } from '../users/sign-in-accounts.service';
import { CodeMailService } from './code-mail.service';
import { MessageResponse, RegisteredResponse, toRegisteredResponse } from './dto/auth.responses';
import { ConfirmOtpDto } from './dto/confirm-otp.dto';
import { RegisterDto } from './dto/register.dto';
import { BreachedPasswordsService } from './breached-passwords.service';
import { PasswordHasherService } from './password-hasher.service';

export const INVALID_REGISTRATION_CODE = 'OTP expired or invalid.';

/** What a registration keeps in the cache until it is confirmed; never the plain password. */
interface StagedRegistration {
  passwordHash: string;
  fullName: string;
  mobile: string | null;
  /** The language the registrant asked for (field or Accept-Language), kept on the account. */
  locale: string | null;
}

/**
 * Registration with a password, confirmed by an emailed code (OTP Auth System). Nothing touches
 * the users table before the confirmation.
 */
@Injectable()
export class RegistrationService {
  private readonly stagingKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: AtomicStore,
    private readonly accounts: SignInAccountsService,
    private readonly emailValidation: EmailValidationService,
    private readonly otp: OtpService,
    private readonly codeMail: CodeMailService,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordHasherService,
    private readonly breachedPasswords: BreachedPasswordsService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    @Inject(otpConfig.KEY) private readonly otpSettings: OtpConfig,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.stagingKey = deriveKey(secret.key, 'registration');
  }

  /**
   * Same answer and the same work whether the email has an account or not: validate, issue a code
   * (rate limited), hash, queue one mail. A new email gets the code and its registration staged.
   * An existing account changes in no way: its owner gets the account-exists notice (inactive and
   * deleted accounts get nothing, as with get-otp), and the code issued for it is never sent and
   * has no staged data behind it, so it could confirm nothing.
   */
  async register(dto: RegisterDto, client: ClientInfo): Promise<MessageResponse> {
    const { email } = dto;
    await this.emailValidation.validate(email);
    await this.breachedPasswords.assertNotBreached(dto.password, 'password');
    await this.codeMail.send(
      email,
      'register',
      client,
      async (account, issued) => {
        const passwordHash = await this.passwords.hash(dto.password);
        if (account)
          return { template: 'account-exists', withCode: false, deliver: account.canSignIn };
        const staged: StagedRegistration = {
          passwordHash,
          fullName: dto.full_name,
          mobile: dto.phone_number ?? null,
          locale: dto.locale ?? lookupLocale(client.acceptLanguage) ?? null,
        };
        await this.cache.setJson(
          this.keyOf(email, issued.code),
          staged,
          this.otpSettings.ttlSeconds * 1000,
        );
        // The name is the registrant's input, not yet proven to belong to this mailbox: not in the mail.
        return { template: 'registration-code', withCode: true, deliver: true };
      },
      dto.locale,
    );
    return { message: 'OTP sent to your email.' };
  }

  /**
   * Creates the verified user from the staged registration and opens its first session, in one
   * transaction. The code is single use, so of racing confirmations only one gets here; an account
   * created meanwhile for the email (a code login) makes it fail like a wrong code, never a 500.
   */
  async confirm(dto: ConfirmOtpDto, client: ClientInfo): Promise<RegisteredResponse> {
    const invalid = AppException.badRequest(ErrorCode.OTP_INVALID, INVALID_REGISTRATION_CODE);
    const valid = await this.otp.verify(dto.email, 'register', dto.otp);
    this.events.codeChecked('register', valid, { ip: client.ip });
    const key = this.keyOf(dto.email, dto.otp);
    const staged = valid ? await this.cache.getJson<StagedRegistration>(key) : undefined;
    if (!staged) {
      this.domainEvents.recordSoon({
        action: 'login.failed',
        outcome: 'failure',
        actor: { type: 'anonymous', id: null },
        context: contextOf(client),
        metadata: { method: 'registration', email_hash: this.domainEvents.emailHash(dto.email) },
      });
      throw invalid;
    }
    await this.cache.delete(key);
    const response = await this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.createVerified({ email: dto.email, ...staged }, manager);
      if (!user) return null;
      const tokens = await this.sessions.open(user.id, false, client, manager);
      const base = {
        actor: { type: 'user' as const, id: user.id },
        target: userTarget(user.id),
        context: contextOf(client, tokens.sessionId),
        user,
      };
      const session = { id: tokens.sessionId, ip: client.ip, user_agent: client.userAgent };
      await this.domainEvents.record(
        manager,
        { ...base, action: 'registration.completed' },
        { ...base, action: 'user.created', metadata: { via: 'registration' } },
        { ...base, action: 'login.succeeded', metadata: { method: 'registration' }, session },
      );
      return toRegisteredResponse(user, tokens);
    });
    this.events.login('registration', !!response, { userId: response?.data[0].id, ip: client.ip });
    if (!response) {
      this.domainEvents.recordSoon({
        action: 'login.failed',
        outcome: 'failure',
        actor: { type: 'anonymous', id: null },
        context: contextOf(client),
        metadata: { method: 'registration', email_hash: this.domainEvents.emailHash(dto.email) },
      });
      throw invalid;
    }
    return response;
  }

  /**
   * Staged data is bound to the code it was mailed with, not only to the email: when two
   * registrations of one email race, the live code confirms the data staged with it, never the
   * other registration's password.
   */
  private keyOf(email: string, code: string): string {
    return `registration:${hmacHex(this.stagingKey, `${email}\n${code}`).slice(0, 32)}`;
  }
}
