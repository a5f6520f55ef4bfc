import { Inject, Injectable } from '@nestjs/common';
import { ClientInfo } from '../common/auth/auth-user';
import { otpConfig, OtpConfig } from '../otp/otp.config';
import { signInConfig, SignInConfig } from './sign-in.config';
import { MailTemplate } from '../mail/mail-templates.service';
import { MailService } from '../mail/mail.service';
import { contextOf, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { OtpPurpose } from '../otp/otp-purpose';
import { IssuedCode, OtpService } from '../otp/otp.service';
import { SignInAccount, SignInAccountsService } from '../users/sign-in-accounts.service';

/** Which mail a code request writes, and whether it may leave. */
export interface CodeMail {
  template: MailTemplate;
  /** The mail shows the issued code (and expires with it). */
  withCode: boolean;
  /** False: the row is written suppressed, never sent. */
  deliver: boolean;
}

export type ComposeCodeMail = (
  account: SignInAccount | null,
  issued: IssuedCode,
) => CodeMail | Promise<CodeMail>;

/**
 * The one "email a code" flow of get-otp, register and forgot-password: issue the code (rate
 * limited), look the account up, write the outbox row. Every step runs whatever the account's
 * state, and a mail that must not go out is still rendered and written (suppressed), so the
 * answer takes the same work for existing, unknown and inactive emails.
 */
@Injectable()
export class CodeMailService {
  constructor(
    private readonly otp: OtpService,
    private readonly accounts: SignInAccountsService,
    private readonly mail: MailService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    @Inject(otpConfig.KEY) private readonly otpSettings: OtpConfig,
    @Inject(signInConfig.KEY) private readonly signInSettings: SignInConfig,
  ) {}

  async send(
    email: string,
    purpose: OtpPurpose,
    client: ClientInfo,
    compose: ComposeCodeMail,
    /** The request's `locale` field, if it had one (validated by the DTO). */
    requestedLocale?: string,
    /** Put a magic link (MAGIC_LINK_URL) beside the code, when one is configured. */
    withLink = false,
  ): Promise<void> {
    const linkBase = withLink ? this.signInSettings.magicLinkUrl : undefined;
    const issued = await this.otp.issue(email, purpose, linkBase !== undefined);
    const account = await this.accounts.findByEmail(email);
    const { template, withCode, deliver } = await compose(account, issued);
    const name = account?.fullName || undefined;
    await this.mail.enqueueUnlessSuppressed(
      {
        to: account?.email ?? email,
        template,
        context: withCode
          ? {
              code: issued.code,
              name,
              minutes: Math.round(this.otpSettings.ttlSeconds / 60),
              link:
                linkBase && issued.linkToken ? magicLink(linkBase, issued.linkToken) : undefined,
            }
          : { name },
        expiresAt: withCode ? issued.expiresAt : undefined,
        // Resolved the same way for every email: the locale reveals nothing about an account.
        language: {
          requested: requestedLocale,
          stored: account?.locale,
          acceptLanguage: client.acceptLanguage,
        },
      },
      deliver,
    );
    this.events.codeSent(purpose, {
      userId: account?.id,
      ip: client.ip,
      delivered: deliver && withCode,
    });
    // Batched, like failures: the hottest route pays no extra round trip for it.
    this.domainEvents.recordSoon({
      action: 'code.sent',
      actor: { type: 'anonymous', id: null },
      target: account ? userTarget(account.id) : undefined,
      context: contextOf(client),
      metadata: {
        purpose,
        delivered: deliver && withCode,
        email_hash: this.domainEvents.emailHash(email),
      },
    });
  }
}

/** `MAGIC_LINK_URL?token=<t>`, keeping any query the frontend page already has. */
export function magicLink(base: string, token: string): string {
  const url = new URL(base);
  url.searchParams.set('token', token);
  return url.toString();
}
