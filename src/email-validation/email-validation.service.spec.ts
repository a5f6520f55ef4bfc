import { AppException } from '../common/errors/app.exception';
import { EnvReader } from '../config/env-parser';
import { EmailValidationConfig, readEmailValidationConfig } from './email-validation.config';
import { EmailValidationService } from './email-validation.service';
import { MailboxlayerCheck } from './mailboxlayer.check';

// The defaults, with a fake URL and a short timeout.
const config: EmailValidationConfig = {
  ...readEmailValidationConfig(new EnvReader({})),
  mailboxlayerApiKey: undefined,
  mailboxlayerUrl: 'http://mailboxlayer.invalid/api/check',
  mailboxlayerTimeoutMs: 300,
};

function service(overrides: Partial<EmailValidationConfig> = {}, verdict?: string) {
  const mailboxlayer = { check: jest.fn().mockResolvedValue(verdict) };
  const validation = new EmailValidationService(
    { ...config, ...overrides },
    mailboxlayer as unknown as MailboxlayerCheck,
  );
  return { validation, mailboxlayer };
}

async function refusal(promise: Promise<void>): Promise<AppException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppException);
  return error as AppException;
}

describe('EmailValidationService', () => {
  it('accepts an ordinary address', async () => {
    await expect(service().validation.validate('user@example.com')).resolves.toBeUndefined();
  });

  it('refuses bad syntax and over-long parts with INVALID_EMAIL and the reason under email', async () => {
    for (const email of ['not-an-email', `${'a'.repeat(65)}@example.com`]) {
      const error = await refusal(service().validation.validate(email));
      expect(error.getStatus()).toBe(400);
      expect(error.code).toBe('INVALID_EMAIL');
      expect(error.message).toBe('Invalid email address.');
      expect(error.errors).toEqual({ email: ['Enter a valid email address.'] });
    }
  });

  it('refuses disposable domains unless the check is switched off', async () => {
    const error = await refusal(service().validation.validate('x@sub.mailinator.com'));
    expect(error.errors).toEqual({ email: ['Disposable email addresses are not allowed.'] });
    await expect(
      service({ disposableCheck: false }).validation.validate('x@mailinator.com'),
    ).resolves.toBeUndefined();
  });

  it('asks Mailboxlayer only when a key is set, and only after the cheap checks pass', async () => {
    const without = service();
    await without.validation.validate('user@example.com');
    expect(without.mailboxlayer.check).not.toHaveBeenCalled();

    const withKey = service({ mailboxlayerApiKey: 'k' }, 'The email domain cannot receive mail.');
    const error = await refusal(withKey.validation.validate('user@example.com'));
    expect(error.errors).toEqual({ email: ['The email domain cannot receive mail.'] });
    await refusal(withKey.validation.validate('x@mailinator.com'));
    expect(withKey.mailboxlayer.check).toHaveBeenCalledTimes(1);
  });
});
