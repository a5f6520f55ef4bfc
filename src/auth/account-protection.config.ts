import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

/** Breached-password check and the password-login lock (API.md "Account protection"). */
export interface AccountProtectionConfig {
  breachCheck: boolean;
  /** The Have I Been Pwned range API; the 5-hex-digit prefix is appended. */
  hibpUrl: string;
}

export const accountProtectionConfig = configToken('accountProtection');

export function readAccountProtectionConfig(r: EnvReader): AccountProtectionConfig {
  return {
    breachCheck: r.bool('PASSWORD_BREACH_CHECK', true),
    hibpUrl: r.url('HIBP_URL', ['http', 'https']) ?? 'https://api.pwnedpasswords.com/range/',
  };
}
