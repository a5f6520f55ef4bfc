import { Inject, Injectable } from '@nestjs/common';
import { ClientInfo } from '../common/auth/auth-user';
import { SignInMethod } from '../mail/mail-templates.service';
import { MailService } from '../mail/mail.service';
import { SignInTokens } from '../sessions/sessions.service';
import { SignInAccount } from '../users/sign-in-accounts.service';
import { signInConfig, SignInConfig } from './sign-in.config';

export type { SignInMethod };

/**
 * The `new-sign-in` mail (NOTIFY_NEW_SIGNIN): a session opened from a network and browser family
 * the account has not used in 90 days, in the account's language. The sessions module answers
 * "new?" in the statement that opens the session, so only an actual notice costs a round trip
 * (its outbox row).
 */
@Injectable()
export class SignInNoticeService {
  constructor(
    private readonly mail: MailService,
    @Inject(signInConfig.KEY) private readonly config: SignInConfig,
  ) {}

  async afterSignIn(
    account: SignInAccount,
    tokens: SignInTokens,
    method: SignInMethod,
    client: ClientInfo,
  ): Promise<void> {
    if (!this.config.notifyNewSignIn || !tokens.unfamiliar) return;
    await this.mail.enqueue({
      to: account.email,
      template: 'new-sign-in',
      context: {
        name: account.fullName || undefined,
        time: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        ip: client.ip ?? undefined,
        browser: tokens.origin.browser,
        // A key: each locale's template says it in its own words.
        method,
      },
      // The account's language only: the request that signed in may well be someone else's.
      language: { stored: account.locale },
    });
  }
}
