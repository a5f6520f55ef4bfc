import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  AccountProtectionConfig,
  readAccountProtectionConfig,
} from '../auth/account-protection.config';
import { CacheConfig, readCacheConfig, redisConfigured } from '../cache/cache.config';
import { AuditConfig, readAuditConfig } from '../audit/audit.config';
import { readSignInConfig, SignInConfig } from '../auth/sign-in.config';
import { RateLimitConfig, readRateLimitConfig } from '../rate-limit/rate-limit.config';
import { DatabaseConfig, readDatabaseConfig } from '../database/database.config';
import {
  EmailValidationConfig,
  readEmailValidationConfig,
} from '../email-validation/email-validation.config';
import { KeysConfig, readKeysConfig } from '../keys/keys.config';
import { MailConfig, readMailConfig } from '../mail/mail.config';
import { OtpConfig, readOtpConfig } from '../otp/otp.config';
import { AuthConfig, readAuthConfig } from '../sessions/auth.config';
import { readWebhooksConfig, WebhooksConfig } from '../webhooks/webhooks.config';
import { AppConfig, NodeEnv, readAppConfig } from './app.config';
import { EnvReader } from './env-parser';
import { readSecretInput, resolveSecret, SecretConfig } from './secret.config';

/** Every area's settings; each area's type and reader live next to the code that reads it. */
export interface Configuration {
  app: AppConfig;
  secret: SecretConfig;
  database: DatabaseConfig;
  cache: CacheConfig;
  mail: MailConfig;
  otp: OtpConfig;
  auth: AuthConfig;
  keys: KeysConfig;
  emailValidation: EmailValidationConfig;
  rateLimit: RateLimitConfig;
  accountProtection: AccountProtectionConfig;
  webhooks: WebhooksConfig;
  audit: AuditConfig;
  signIn: SignInConfig;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * Parses and validates every variable; throws one error naming each bad one. Called once per
 * process (main.ts, a script, or the test harness with its own `env`); the result is handed to
 * `AppConfigModule.forRoot`. Reading `process.env` also reads `.env` from the working directory
 * (never under Jest, so tests see only what they set).
 */
export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Configuration {
  if (env === process.env && env.NODE_ENV !== 'test' && existsSync('.env'))
    process.loadEnvFile('.env');
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf<NodeEnv>('NODE_ENV', 'development', [
    'development',
    'production',
    'test',
  ]);
  const isProduction = nodeEnv === 'production';
  const dataDir = resolve(r.string('DATA_DIR', './data'));

  if (isProduction) {
    for (const name of ['SECRET_KEY', 'DATABASE_URL', 'EMAIL_HOST']) {
      r.require(name, 'when NODE_ENV=production');
    }
    if (!redisConfigured(r)) {
      r.require(
        'REDIS_URL',
        'when NODE_ENV=production (or REDIS_SENTINELS or REDIS_CLUSTER_NODES)',
      );
    }
  }
  // Readers run in the order their problems are listed.
  const mail = readMailConfig(r, isProduction);
  const secretInput = readSecretInput(r, isProduction);
  const auth = readAuthConfig(r);
  const app = readAppConfig(r, { nodeEnv, dataDir });
  // JWT_ISSUER defaults to PUBLIC_URL, so discovery and the tokens' `iss` agree.
  const tokens: AuthConfig = { ...auth, issuer: auth.issuer ?? app.publicUrl };
  const config: Omit<Configuration, 'secret'> = {
    app,
    database: readDatabaseConfig(r, dataDir),
    cache: readCacheConfig(r),
    mail,
    otp: readOtpConfig(r),
    auth: tokens,
    keys: readKeysConfig(r, tokens),
    emailValidation: readEmailValidationConfig(r),
    rateLimit: readRateLimitConfig(r),
    accountProtection: readAccountProtectionConfig(r),
    webhooks: readWebhooksConfig(r),
    audit: readAuditConfig(r),
    signIn: readSignInConfig(r),
  };

  if (r.errors.length > 0) throw new ConfigurationError(r.errors);
  return { ...config, secret: resolveSecret(secretInput, dataDir) };
}
