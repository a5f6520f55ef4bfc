import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { canonicalizeEmail } from '../common/email/canonical-email';
import { EnvReader } from './env-parser';

export type NodeEnv = 'development' | 'production' | 'test';
export type MailTransport = 'smtp' | 'outbox';
export type TrustProxy = false | number | string[];

export interface Configuration {
  app: {
    nodeEnv: NodeEnv;
    isProduction: boolean;
    port: number;
    dataDir: string;
    trustProxy: TrustProxy;
    corsOrigins: string[];
    metricsEnabled: boolean;
    adminEmail?: string;
    logLevel: string;
    logFile?: string;
  };
  secret: { key: string; generated: boolean };
  database: { url?: string; embeddedDir: string };
  cache: { redisUrl?: string; keyPrefix: string };
  mail: {
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
  };
  otp: {
    length: number;
    ttlSeconds: number;
    maxAttempts: number;
    resendSeconds: number;
    maxSendsPerHour: number;
    signup: boolean;
  };
  auth: {
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    refreshMaxTtlSeconds: number;
    clockToleranceSeconds: number;
    reuseGraceSeconds: number;
    issuer: string;
    audience: string;
  };
  emailValidation: {
    disposableCheck: boolean;
    mailboxlayerApiKey?: string;
    mailboxlayerUrl: string;
    mailboxlayerTimeoutMs: number;
    failOpen: boolean;
    rejectNoMx: boolean;
    rejectSmtpFail: boolean;
    rejectDisposable: boolean;
  };
  rateLimit: {
    enabled: boolean;
    sendPerMinute: number;
    verifyPerMinute: number;
    refreshPerMinute: number;
    passwordFailures: number;
    passwordFailureWindowSeconds: number;
  };
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

const logger = new Logger('Config');
let dotEnvLoaded = false;
let warnedAboutSecret = false;

/** Loads `.env` from the working directory once (never under Jest, so tests see only what they set). */
function loadDotEnv(env: NodeJS.ProcessEnv): void {
  if (dotEnvLoaded || env !== process.env || env.NODE_ENV === 'test') return;
  dotEnvLoaded = true;
  if (existsSync('.env')) process.loadEnvFile('.env');
}

/** Defaults of the per-IP budgets and of failed password logins; the API docs quote them. */
export const RATE_LIMIT_DEFAULTS = {
  sendPerMinute: 10,
  verifyPerMinute: 30,
  refreshPerMinute: 60,
  passwordFailures: 10,
} as const;

/** Parses and validates every variable; throws one error naming each bad one. */
export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Configuration {
  loadDotEnv(env);
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf<NodeEnv>('NODE_ENV', 'development', [
    'development',
    'production',
    'test',
  ]);
  const isProduction = nodeEnv === 'production';
  const dataDir = resolve(r.string('DATA_DIR', './data'));

  if (isProduction) {
    for (const name of ['SECRET_KEY', 'DATABASE_URL', 'REDIS_URL', 'EMAIL_HOST']) {
      r.require(name, 'when NODE_ENV=production');
    }
  }
  const emailHost = r.optional('EMAIL_HOST');
  const transport = r.oneOf<MailTransport>('MAIL_TRANSPORT', emailHost ? 'smtp' : 'outbox', [
    'smtp',
    'outbox',
  ]);
  if (transport === 'smtp' && !emailHost)
    r.errors.push('EMAIL_HOST is required when MAIL_TRANSPORT=smtp');
  if (isProduction && transport !== 'smtp')
    r.errors.push('MAIL_TRANSPORT must be smtp when NODE_ENV=production');

  const secretInput = r.optional('SECRET_KEY');
  if (secretInput !== undefined && secretInput.length < 32) {
    if (isProduction) r.errors.push('SECRET_KEY must be at least 32 characters long');
    else if (!warnedAboutSecret)
      logger.warn('SECRET_KEY is shorter than 32 characters; use a longer one');
  }

  const accessTtl = r.duration('JWT_ACCESS_TTL', '15m');
  const refreshTtl = r.duration('JWT_REFRESH_TTL', '1d');
  const refreshMaxTtl = r.duration('JWT_REFRESH_MAX_TTL', '30d');
  if (refreshMaxTtl < refreshTtl)
    r.errors.push('JWT_REFRESH_MAX_TTL must not be shorter than JWT_REFRESH_TTL');

  const useTls = r.bool('EMAIL_USE_TLS', false);
  const useSsl = r.bool('EMAIL_USE_SSL', false);
  // As Django: STARTTLS on a plain connection, or TLS from the start, never both.
  if (useTls && useSsl) r.errors.push('EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive');

  const config: Omit<Configuration, 'secret'> = {
    app: {
      nodeEnv,
      isProduction,
      port: r.int('PORT', 3000, 0, 65535),
      dataDir,
      trustProxy: parseTrustProxy(r),
      corsOrigins: parseOrigins(r),
      metricsEnabled: r.bool('METRICS_ENABLED', false),
      adminEmail: parseAdminEmail(r),
      logLevel: r.oneOf('LOG_LEVEL', 'info', [
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
      logFile: r.optional('LOG_FILE'),
    },
    database: {
      url: r.url('DATABASE_URL', ['postgres', 'postgresql']),
      embeddedDir: join(dataDir, 'pglite'),
    },
    cache: {
      redisUrl: r.url('REDIS_URL', ['redis', 'rediss']),
      keyPrefix: r.string('REDIS_KEY_PREFIX', 'mailguard:'),
    },
    mail: {
      transport,
      host: emailHost,
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
    },
    otp: {
      length: r.int('OTP_LENGTH', 6, 4, 10),
      ttlSeconds: r.int('OTP_TTL_SECONDS', 600, 1, 86_400),
      maxAttempts: r.int('OTP_MAX_ATTEMPTS', 5, 1, 100),
      resendSeconds: r.int('OTP_RESEND_SECONDS', 60, 0, 3600),
      maxSendsPerHour: r.int('OTP_MAX_SENDS_PER_HOUR', 5, 1, 1000),
      signup: r.bool('OTP_SIGNUP', true),
    },
    auth: {
      accessTtlSeconds: accessTtl,
      refreshTtlSeconds: refreshTtl,
      refreshMaxTtlSeconds: refreshMaxTtl,
      clockToleranceSeconds: r.int('JWT_CLOCK_TOLERANCE_SECONDS', 30, 0, 300),
      reuseGraceSeconds: r.int('JWT_REFRESH_REUSE_GRACE_SECONDS', 10, 0, 300),
      issuer: r.string('JWT_ISSUER', 'mailguard'),
      audience: r.string('JWT_AUDIENCE', 'mailguard-api'),
    },
    emailValidation: {
      disposableCheck: r.bool('EMAIL_VALIDATION_DISPOSABLE', true),
      mailboxlayerApiKey: r.optional('MAILBOXLAYER_API_KEY'),
      mailboxlayerUrl:
        r.url('MAILBOXLAYER_URL', ['http', 'https']) ?? 'http://apilayer.net/api/check',
      mailboxlayerTimeoutMs: r.int('MAILBOXLAYER_TIMEOUT_MS', 3000, 100, 60_000),
      failOpen: r.bool('EMAIL_VALIDATION_FAIL_OPEN', true),
      rejectNoMx: r.bool('MAILBOXLAYER_REJECT_NO_MX', true),
      rejectSmtpFail: r.bool('MAILBOXLAYER_REJECT_SMTP_FAIL', true),
      rejectDisposable: r.bool('MAILBOXLAYER_REJECT_DISPOSABLE', true),
    },
    rateLimit: {
      enabled: r.bool('RATE_LIMIT_ENABLED', true),
      sendPerMinute: r.int(
        'RATE_LIMIT_SEND_PER_MINUTE',
        RATE_LIMIT_DEFAULTS.sendPerMinute,
        1,
        1_000_000,
      ),
      verifyPerMinute: r.int(
        'RATE_LIMIT_VERIFY_PER_MINUTE',
        RATE_LIMIT_DEFAULTS.verifyPerMinute,
        1,
        1_000_000,
      ),
      refreshPerMinute: r.int(
        'RATE_LIMIT_REFRESH_PER_MINUTE',
        RATE_LIMIT_DEFAULTS.refreshPerMinute,
        1,
        1_000_000,
      ),
      passwordFailures: r.int(
        'RATE_LIMIT_PASSWORD_FAILURES',
        RATE_LIMIT_DEFAULTS.passwordFailures,
        1,
        1_000_000,
      ),
      passwordFailureWindowSeconds: r.int(
        'RATE_LIMIT_PASSWORD_FAILURE_WINDOW_SECONDS',
        900,
        1,
        86_400,
      ),
    },
  };

  if (r.errors.length > 0) throw new ConfigurationError(r.errors);
  return { ...config, secret: resolveSecret(secretInput, dataDir) };
}

function parseTrustProxy(r: EnvReader): TrustProxy {
  const value = r.optional('TRUST_PROXY');
  if (value === undefined || value.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(value)) return r.int('TRUST_PROXY', 0, 0, 32);
  const entries = r.list('TRUST_PROXY');
  const bad = entries.filter((entry) => !isCidrOrIp(entry));
  if (bad.length > 0) {
    return r.fail(
      'TRUST_PROXY',
      'must be a hop count or a comma-separated list of IPs/CIDRs',
      value,
      false,
    );
  }
  return entries;
}

/** ADMIN_EMAIL in its canonical form, so the account made admin at boot is the one that signs in. */
function parseAdminEmail(r: EnvReader): string | undefined {
  const value = r.optional('ADMIN_EMAIL');
  if (value === undefined) return undefined;
  return (
    canonicalizeEmail(value) ??
    r.fail('ADMIN_EMAIL', 'must be a valid email address', value, undefined)
  );
}

function isCidrOrIp(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || isIP(address) === 0) return false;
  if (prefix === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d+$/.test(prefix) && Number(prefix) <= max;
}

function parseOrigins(r: EnvReader): string[] {
  const origins = r.list('CORS_ORIGINS');
  for (const origin of origins) {
    try {
      if (new URL(origin).origin !== origin) throw new Error('not an origin');
    } catch {
      r.fail(
        'CORS_ORIGINS',
        'must be comma-separated origins like https://app.example.com',
        origin,
        undefined,
      );
    }
  }
  return origins;
}

/** In development a missing SECRET_KEY is generated once and kept in the data folder. */
function resolveSecret(input: string | undefined, dataDir: string): Configuration['secret'] {
  if (input !== undefined) return { key: input, generated: false };
  const file = join(dataDir, 'secret_key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  if (!warnedAboutSecret) {
    warnedAboutSecret = true;
    logger.warn(`SECRET_KEY is not set; using the development key kept in ${file}`);
  }
  return { key: readFileSync(file, 'utf8').trim(), generated: true };
}
