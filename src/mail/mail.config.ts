import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';
import { MAIL_LOCALES, MailLocale } from './mail-locales';

export type MailTransport = 'smtp' | 'outbox';

export interface MailConfig {
  transport: MailTransport;
  host?: string;
  port: number;
  user?: string;
  password?: string;
  useTls: boolean;
  useSsl: boolean;
  from: string;
  workerIntervalMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** The language of a mail when neither the request nor the account names one. */
  defaultLocale: MailLocale;
  /** Operator overrides: `<dir>/<locale>/<template>.{subject,html,txt}.hbs`, checked at boot. */
  templatesDir?: string;
}

export const mailConfig = configToken('mail');

export function readMailConfig(r: EnvReader, isProduction: boolean): MailConfig {
  const host = r.optional('EMAIL_HOST');
  const transport = r.oneOf<MailTransport>('MAIL_TRANSPORT', host ? 'smtp' : 'outbox', [
    'smtp',
    'outbox',
  ]);
  if (transport === 'smtp' && !host)
    r.errors.push('EMAIL_HOST is required when MAIL_TRANSPORT=smtp');
  if (isProduction && transport !== 'smtp')
    r.errors.push('MAIL_TRANSPORT must be smtp when NODE_ENV=production');

  const useTls = r.bool('EMAIL_USE_TLS', false);
  const useSsl = r.bool('EMAIL_USE_SSL', false);
  // As Django: STARTTLS on a plain connection, or TLS from the start, never both.
  if (useTls && useSsl) r.errors.push('EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive');

  return {
    transport,
    host,
    port: r.int('EMAIL_PORT', 25, 1, 65535),
    user: r.optional('EMAIL_HOST_USER'),
    password: r.optional('EMAIL_HOST_PASSWORD'),
    useTls,
    useSsl,
    from: r.string('EMAIL_FROM', 'MailGuard <no-reply@mailguard.local>'),
    workerIntervalMs: r.int('MAIL_WORKER_INTERVAL_MS', 1000, 50, 60_000),
    maxAttempts: r.int('MAIL_MAX_ATTEMPTS', 8, 1, 100),
    retryBaseMs: r.int('MAIL_RETRY_BASE_MS', 2000, 10, 3_600_000),
    retryMaxMs: r.int('MAIL_RETRY_MAX_MS', 300_000, 10, 86_400_000),
    defaultLocale: r.oneOf<MailLocale>('MAIL_DEFAULT_LOCALE', 'en', MAIL_LOCALES),
    templatesDir: r.optional('MAIL_TEMPLATES_DIR'),
  };
}
