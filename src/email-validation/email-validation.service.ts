import { Inject, Injectable } from '@nestjs/common';
import { canonicalizeEmail } from '../common/email/canonical-email';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { INVALID_EMAIL_SENTENCE } from '../common/errors/validation';
import { emailValidationConfig, EmailValidationConfig } from './email-validation.config';
import { disposableDomainCheck } from './disposable-domains';
import { EmailCheck, REASONS } from './email-check';
import { MailboxlayerCheck } from './mailboxlayer.check';

/** Canonical form and syntax limits (local part ≤ 64, total ≤ 254): what canonicalizeEmail refuses. */
const syntaxCheck: EmailCheck = {
  check: (email) => Promise.resolve(canonicalizeEmail(email) ? undefined : REASONS.syntax),
};

/**
 * Whether an address may get an account (registration, admin create): a chain of checks, each
 * switchable by configuration, run in order until one refuses. Expects the canonical address.
 */
@Injectable()
export class EmailValidationService {
  private readonly checks: EmailCheck[];

  constructor(
    @Inject(emailValidationConfig.KEY) config: EmailValidationConfig,
    mailboxlayer: MailboxlayerCheck,
  ) {
    this.checks = [syntaxCheck];
    if (config.disposableCheck) this.checks.push(disposableDomainCheck);
    if (config.mailboxlayerApiKey) this.checks.push(mailboxlayer);
  }

  /** Throws 400 INVALID_EMAIL `{"message":"Invalid email address.","errors":{"email":[reason]}}`. */
  async validate(email: string): Promise<void> {
    const canonical = canonicalizeEmail(email) ?? email;
    for (const check of this.checks) {
      const reason = await check.check(canonical);
      if (reason)
        throw AppException.badRequest(ErrorCode.INVALID_EMAIL, INVALID_EMAIL_SENTENCE, {
          email: [reason],
        });
    }
  }
}
