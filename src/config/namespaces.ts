import { ConfigType, registerAs } from '@nestjs/config';
import { Configuration, loadConfiguration } from './configuration';

/**
 * One typed namespace per area. AppConfigModule provides them all from a single validated parse;
 * the factory here only serves `ConfigModule.forFeature` users and typing.
 */
function namespace<K extends keyof Configuration>(area: K) {
  return Object.assign(
    registerAs(area, () => loadConfiguration()[area]),
    { area },
  );
}

export const appConfig = namespace('app');
export const secretConfig = namespace('secret');
export const databaseConfig = namespace('database');
export const cacheConfig = namespace('cache');
export const mailConfig = namespace('mail');
export const otpConfig = namespace('otp');
export const authConfig = namespace('auth');
export const emailValidationConfig = namespace('emailValidation');
export const rateLimitConfig = namespace('rateLimit');

export const allNamespaces = [
  appConfig,
  secretConfig,
  databaseConfig,
  cacheConfig,
  mailConfig,
  otpConfig,
  authConfig,
  emailValidationConfig,
  rateLimitConfig,
];

export type AppConfig = ConfigType<typeof appConfig>;
export type SecretConfig = ConfigType<typeof secretConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type CacheConfig = ConfigType<typeof cacheConfig>;
export type MailConfig = ConfigType<typeof mailConfig>;
export type OtpConfig = ConfigType<typeof otpConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
export type EmailValidationConfig = ConfigType<typeof emailValidationConfig>;
export type RateLimitConfig = ConfigType<typeof rateLimitConfig>;
