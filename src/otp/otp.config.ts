import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export interface OtpConfig {
  length: number;
  ttlSeconds: number;
  maxAttempts: number;
  resendSeconds: number;
  maxSendsPerHour: number;
  /** Whether asking a code for an unknown email signs it up. */
  signup: boolean;
}

export const otpConfig = configToken('otp');

export function readOtpConfig(r: EnvReader): OtpConfig {
  return {
    length: r.int('OTP_LENGTH', 6, 4, 10),
    ttlSeconds: r.int('OTP_TTL_SECONDS', 600, 1, 86_400),
    maxAttempts: r.int('OTP_MAX_ATTEMPTS', 5, 1, 100),
    resendSeconds: r.int('OTP_RESEND_SECONDS', 60, 0, 3600),
    maxSendsPerHour: r.int('OTP_MAX_SENDS_PER_HOUR', 5, 1, 1000),
    signup: r.bool('OTP_SIGNUP', true),
  };
}
