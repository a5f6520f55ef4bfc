import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export interface EmailValidationConfig {
  disposableCheck: boolean;
  mailboxlayerApiKey?: string;
  mailboxlayerUrl: string;
  mailboxlayerTimeoutMs: number;
  failOpen: boolean;
  rejectNoMx: boolean;
  rejectSmtpFail: boolean;
  rejectDisposable: boolean;
}

export const emailValidationConfig = configToken('emailValidation');

export function readEmailValidationConfig(r: EnvReader): EmailValidationConfig {
  return {
    disposableCheck: r.bool('EMAIL_VALIDATION_DISPOSABLE', true),
    mailboxlayerApiKey: r.optional('MAILBOXLAYER_API_KEY'),
    mailboxlayerUrl:
      r.url('MAILBOXLAYER_URL', ['http', 'https']) ?? 'http://apilayer.net/api/check',
    mailboxlayerTimeoutMs: r.int('MAILBOXLAYER_TIMEOUT_MS', 3000, 100, 60_000),
    failOpen: r.bool('EMAIL_VALIDATION_FAIL_OPEN', true),
    rejectNoMx: r.bool('MAILBOXLAYER_REJECT_NO_MX', true),
    rejectSmtpFail: r.bool('MAILBOXLAYER_REJECT_SMTP_FAIL', true),
    rejectDisposable: r.bool('MAILBOXLAYER_REJECT_DISPOSABLE', true),
  };
}
