import { auditConfig } from '../audit/audit.config';
import { DynamicModule, Module } from '@nestjs/common';
import { accountProtectionConfig } from '../auth/account-protection.config';
import { signInConfig } from '../auth/sign-in.config';
import { cacheConfig } from '../cache/cache.config';
import { rateLimitConfig } from '../rate-limit/rate-limit.config';
import { databaseConfig } from '../database/database.config';
import { emailValidationConfig } from '../email-validation/email-validation.config';
import { keysConfig } from '../keys/keys.config';
import { mailConfig } from '../mail/mail.config';
import { otpConfig } from '../otp/otp.config';
import { authConfig } from '../sessions/auth.config';
import { webhooksConfig } from '../webhooks/webhooks.config';
import { appConfig } from './app.config';
import { ConfigToken } from './config-token';
import { Configuration } from './configuration';
import { secretConfig } from './secret.config';

const AREAS: { [Area in keyof Configuration]: ConfigToken<Area> } = {
  app: appConfig,
  secret: secretConfig,
  database: databaseConfig,
  cache: cacheConfig,
  mail: mailConfig,
  otp: otpConfig,
  auth: authConfig,
  keys: keysConfig,
  emailValidation: emailValidationConfig,
  rateLimit: rateLimitConfig,
  accountProtection: accountProtectionConfig,
  webhooks: webhooksConfig,
  audit: auditConfig,
  signIn: signInConfig,
};

/**
 * Provides each area of a configuration parsed once at boot (`loadConfiguration`, which stops
 * the service with a message naming each bad variable) under its token, to every module.
 */
@Module({})
export class AppConfigModule {
  static forRoot(config: Configuration): DynamicModule {
    const providers = Object.values(AREAS).map((token) => ({
      provide: token.KEY,
      useValue: config[token.area],
    }));
    return {
      module: AppConfigModule,
      global: true,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}
