import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

/** Access and refresh tokens (JWT_* variables). */
export interface AuthConfig {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  refreshMaxTtlSeconds: number;
  clockToleranceSeconds: number;
  reuseGraceSeconds: number;
  issuer: string;
  audience: string;
}

export const authConfig = configToken('auth');

/** Everything but the issuer's default, which is PUBLIC_URL (the app area). */
export function readAuthConfig(
  r: EnvReader,
): Omit<AuthConfig, 'issuer'> & { issuer: string | undefined } {
  const accessTtlSeconds = r.duration('JWT_ACCESS_TTL', '15m');
  const refreshTtlSeconds = r.duration('JWT_REFRESH_TTL', '1d');
  const refreshMaxTtlSeconds = r.duration('JWT_REFRESH_MAX_TTL', '30d');
  if (refreshMaxTtlSeconds < refreshTtlSeconds)
    r.errors.push('JWT_REFRESH_MAX_TTL must not be shorter than JWT_REFRESH_TTL');
  return {
    accessTtlSeconds,
    refreshTtlSeconds,
    refreshMaxTtlSeconds,
    clockToleranceSeconds: r.int('JWT_CLOCK_TOLERANCE_SECONDS', 30, 0, 300),
    reuseGraceSeconds: r.int('JWT_REFRESH_REUSE_GRACE_SECONDS', 10, 0, 300),
    issuer: r.optional('JWT_ISSUER'),
    audience: r.string('JWT_AUDIENCE', 'mailguard-api'),
  };
}
