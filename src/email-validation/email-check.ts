import { INVALID_EMAIL_MESSAGE } from '../common/email/email.decorators';

/** One link of the validation chain. */
export interface EmailCheck {
  /** Why the (canonical) address is refused, or undefined to let the next check decide. */
  check(email: string): Promise<string | undefined>;
}

export const REASONS = {
  syntax: INVALID_EMAIL_MESSAGE,
  disposable: 'Disposable email addresses are not allowed.',
  noMx: 'The email domain cannot receive mail.',
  smtpFail: 'This mailbox does not exist or does not accept mail.',
  unverifiable: 'The email address could not be verified right now. Try again later.',
} as const;
