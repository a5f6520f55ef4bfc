import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

/** Breached-password check and the password-login lock (API.md "Account protection"). */
export interface AccountProtectionConfig {
  breachCheck: boolean;
  /** The Have I Been Pwned range API; the 5-hex-digit prefix is appended. */
  hibpUrl: string;
  /** Password-login failures in a row (no success between) that lock password login. */
  lockThreshold: number;
}

export const accountProtectionConfig = configToken('accountProtection');

export function readAccountProtectionConfig(r: EnvReader): AccountProtectionConfig {
  return {
    breachCheck: r.bool('PASSWORD_BREACH_CHECK', true),
    hibpUrl: r.url('HIBP_URL', ['http', 'https']) ?? 'https://api.pwnedpasswords.com/range/',
    lockThreshold: r.int('ACCOUNT_LOCK_THRESHOLD', 100, 1, 1_000_000),
  };
}
