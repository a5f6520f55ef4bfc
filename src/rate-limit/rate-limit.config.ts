import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export interface RateLimitConfig {
  enabled: boolean;
  sendPerMinute: number;
  verifyPerMinute: number;
  refreshPerMinute: number;
  passwordFailures: number;
  passwordFailureWindowSeconds: number;
}

export const rateLimitConfig = configToken('rateLimit');

/** Defaults of the per-IP budgets and of failed password logins; the API docs quote them. */
export const RATE_LIMIT_DEFAULTS = {
  sendPerMinute: 10,
  verifyPerMinute: 30,
  refreshPerMinute: 60,
  passwordFailures: 10,
} as const;

export function readRateLimitConfig(r: EnvReader): RateLimitConfig {
  return {
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
  };
}
