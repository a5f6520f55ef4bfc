import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export const SIGNING_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export type AccessTokenAlgorithm = SigningAlgorithm | 'HS256';

/** Signing keys of access tokens (JWT_ALGORITHM, JWT_KEY_PUBLISH_SECONDS, KEY_ENCRYPTION_KEY). */
export interface KeysConfig {
  /** `HS256` is the legacy setting: tokens HMAC'd with a key derived from SECRET_KEY, no JWKS. */
  algorithm: AccessTokenAlgorithm;
  /** How long a new key must be in JWKS before it may sign (unless forced). */
  publishSeconds: number;
  /** Encrypts private keys at rest; SECRET_KEY is used when unset. */
  encryptionKey?: string;
  /** A retired key is revoked this long after retirement: every token it signed has expired. */
  retiredLifetimeSeconds: number;
  /** JWT_ISSUER (defaults to PUBLIC_URL): the `iss` of tokens and of discovery. */
  issuer: string;
}

export const keysConfig = configToken('keys');

/** `tokens`: the access-token settings (JWT_ACCESS_TTL, JWT_CLOCK_TOLERANCE_SECONDS, JWT_ISSUER). */
export function readKeysConfig(
  r: EnvReader,
  tokens: { accessTtlSeconds: number; clockToleranceSeconds: number; issuer: string },
): KeysConfig {
  const encryptionKey = r.optional('KEY_ENCRYPTION_KEY');
  if (encryptionKey !== undefined && encryptionKey.length < 32)
    r.errors.push('KEY_ENCRYPTION_KEY must be at least 32 characters long');
  return {
    algorithm: r.oneOf<AccessTokenAlgorithm>('JWT_ALGORITHM', 'ES256', [
      ...SIGNING_ALGORITHMS,
      'HS256',
    ]),
    publishSeconds: r.int('JWT_KEY_PUBLISH_SECONDS', 600, 0, 7 * 24 * 3600),
    encryptionKey,
    retiredLifetimeSeconds: tokens.accessTtlSeconds + tokens.clockToleranceSeconds + 15 * 60,
    issuer: tokens.issuer,
  };
}
